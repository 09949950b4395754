package dev.snapreel.ffmpeg;

import static java.util.Objects.requireNonNull;

import dev.snapreel.ffmpeg.internal.FfmpegCodecs;
import dev.snapreel.ffmpeg.internal.FfmpegEncodingSession;
import dev.snapreel.ffmpeg.internal.Mp4Remuxer;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link FrameSink} on FFmpeg (bytedeco natives). Codecs: {@code h264} → {@code libopenh264} (LGPL,
 * the default natives), {@code libx264} (only with the GPL natives, Maven profile {@code gpl}),
 * {@code mpeg4}/{@code mp4v} (MPEG-4 Part 2, not browser-playable; only by name). An unavailable
 * encoder fails {@link #validate}; nothing falls back.
 *
 * <p>Crash-safe: while recording, the file is fragmented MP4 flushed packet by packet, so a killed
 * process leaves a playable file; at stop it is remuxed (no re-encode) with {@code moov} first.
 *
 * @since 0.1.0
 */
public final class FfmpegSink implements FrameSink {
  private static final Set<String> X264_PRESETS = Set.of(
      "ultrafast",
      "superfast",
      "veryfast",
      "faster",
      "fast",
      "medium",
      "slow",
      "slower",
      "veryslow");

  private final String x264Preset;
  private final H264Profile h264Profile;
  private final int encoderThreads;

  private FfmpegSink(Builder b) {
    this.x264Preset = b.x264Preset;
    this.h264Profile = b.h264Profile;
    this.encoderThreads = b.encoderThreads;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "ffmpeg";
  }

  @Override
  public String validate(EncodingSpec spec) {
    return FfmpegCodecs.resolve(spec.codec()).family();
  }

  @Override
  public EncodingSession open(EncodingSpec spec, Path output) {
    FfmpegCodecs.Choice choice = FfmpegCodecs.resolve(spec.codec());
    return new FfmpegEncodingSession(
        spec, output, choice.encoder(), codecOptions(choice), encoderThreads);
  }

  private Map<String, String> codecOptions(FfmpegCodecs.Choice choice) {
    Map<String, String> options = new LinkedHashMap<>();
    switch (choice.encoder()) {
      case "libopenh264" -> {
        options.put("profile", h264Profile.ffmpegName());
        options.put("allow_skip_frames", "0"); // CFR: every slot must be a frame
      }
      case "libx264" -> {
        options.put("preset", x264Preset);
        options.put("profile", "high");
      }
      case "libsvtav1" -> {
        // SVT-AV1 ignores FFmpeg's thread count: its own "lp" sets the threads.
        options.put("svtav1-params", "lp=" + encoderThreads);
        options.put("flags", "+cgop"); // keyframes as closed-GOP random access points
      }
      default -> {
        // mpeg4: nothing beyond the rate control
      }
    }
    // Quality and the bit-rate cap: see RateControl.
    return options;
  }

  @Override
  public long recover(Path partial, Path target, EncodingSpec spec) {
    return Mp4Remuxer.remux(partial, target);
  }

  @Override
  public boolean crashSafe() {
    return true;
  }

  @Override
  public String toString() {
    return "FfmpegSink[h264Profile=" + h264Profile + ", x264Preset=" + x264Preset
        + ", encoderThreads=" + encoderThreads + "]";
  }

  /** Configures an {@link FfmpegSink}. */
  public static final class Builder {
    private String x264Preset = "veryfast";
    private H264Profile h264Profile = H264Profile.HIGH;
    private int encoderThreads = 1;

    private Builder() {}

    /**
     * The profile of libopenh264's streams (the default natives); default {@link H264Profile#HIGH}.
     * libx264 (GPL natives) always writes high profile.
     */
    public Builder h264Profile(H264Profile profile) {
      this.h264Profile = requireNonNull(profile, "profile");
      return this;
    }

    /** x264 speed preset (GPL natives only); default {@code veryfast}. */
    public Builder x264Preset(String preset) {
      requireNonNull(preset, "preset");
      if (!X264_PRESETS.contains(preset)) {
        throw new IllegalArgumentException(
            "unknown x264 preset '" + preset + "', one of " + X264_PRESETS);
      }
      this.x264Preset = preset;
      return this;
    }

    /**
     * Threads per encoder; default 1, since a server records many sessions at once and one thread
     * per session scales best.
     */
    public Builder encoderThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("encoderThreads must be 1..64, was " + threads);
      }
      this.encoderThreads = threads;
      return this;
    }

    public FfmpegSink build() {
      return new FfmpegSink(this);
    }
  }
}
