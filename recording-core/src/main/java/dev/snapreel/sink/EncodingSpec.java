package dev.snapreel.sink;

import static java.util.Objects.requireNonNull;

import dev.snapreel.RecordingOptions;
import dev.snapreel.Resolution;

/**
 * What a sink must produce: codec name as the user asked for it, frame size, constant frame rate,
 * quality 1..100, and the longest allowed distance between keyframes (crash-safe fragments are cut
 * at keyframes).
 *
 * @since 0.1.0
 */
public record EncodingSpec(
    String codec, int width, int height, double fps, int quality, double keyframeIntervalSeconds) {
  public EncodingSpec {
    requireNonNull(codec, "codec");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    if (!(fps > 0)) {
      throw new IllegalArgumentException("fps must be positive: " + fps);
    }
    if (!(keyframeIntervalSeconds > 0)) {
      throw new IllegalArgumentException("keyframe interval must be positive: " + keyframeIntervalSeconds);
    }
  }

  public static EncodingSpec of(RecordingOptions options) {
    Resolution r = options.resolution();
    return new EncodingSpec(options.codec(), r.width(), r.height(), options.fps(), options.quality(), 2.0);
  }

  /** Keyframe interval in frames, at least 1. */
  public int gopFrames() {
    return Math.max(1, (int) Math.floor(keyframeIntervalSeconds * fps));
  }
}
