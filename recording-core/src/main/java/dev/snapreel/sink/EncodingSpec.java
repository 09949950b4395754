package dev.snapreel.sink;

import static java.util.Objects.requireNonNull;

import dev.snapreel.RecordingOptions;
import dev.snapreel.Resolution;

/**
 * What a sink must produce: codec name as the user asked for it, frame size, constant frame rate,
 * quality 1..100 (a visual-quality target, independent of the frame rate and of repeated slots),
 * the longest allowed distance between keyframes (crash-safe fragments are cut at keyframes) and an
 * optional bit-rate cap in bits per second of video over real time (0 = none).
 *
 * @since 0.1.0
 */
public record EncodingSpec(
    String codec,
    int width,
    int height,
    double fps,
    int quality,
    double keyframeIntervalSeconds,
    long maxBitrate) {
  public EncodingSpec {
    requireNonNull(codec, "codec");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    if (!(fps > 0)) {
      throw new IllegalArgumentException("fps must be positive: " + fps);
    }
    if (!(keyframeIntervalSeconds > 0)) {
      throw new IllegalArgumentException(
          "keyframe interval must be positive: " + keyframeIntervalSeconds);
    }
    if (maxBitrate < 0) {
      throw new IllegalArgumentException("maxBitrate must be >= 0 (0 = no cap): " + maxBitrate);
    }
  }

  /** Without a bit-rate cap. */
  public EncodingSpec(
      String codec,
      int width,
      int height,
      double fps,
      int quality,
      double keyframeIntervalSeconds) {
    this(codec, width, height, fps, quality, keyframeIntervalSeconds, 0);
  }

  public static EncodingSpec of(RecordingOptions options) {
    Resolution r = options.resolution();
    return new EncodingSpec(
        options.codec(),
        r.width(),
        r.height(),
        options.fps(),
        options.quality(),
        2.0,
        options.maxBitrate());
  }

  /** The same spec with a bit-rate cap (bits per second, 0 = none). */
  public EncodingSpec withMaxBitrate(long maxBitrate) {
    return new EncodingSpec(
        codec, width, height, fps, quality, keyframeIntervalSeconds, maxBitrate);
  }

  /** Keyframe interval in frames, at least 1. */
  public int gopFrames() {
    return Math.max(1, (int) Math.floor(keyframeIntervalSeconds * fps));
  }
}
