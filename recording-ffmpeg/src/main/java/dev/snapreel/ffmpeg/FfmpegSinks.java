package dev.snapreel.ffmpeg;

import dev.snapreel.sink.FrameSink;

/**
 * Ready-made FFmpeg sinks.
 *
 * @since 0.1.0
 */
public final class FfmpegSinks {
  private FfmpegSinks() {}

  /**
   * The default sink: H.264 (high profile) through the LGPL {@code libopenh264} for codec {@code
   * h264}; also accepts {@code av1} (SVT-AV1), {@code libx264} (GPL natives) and {@code mpeg4} when a
   * recording asks for them by name.
   */
  public static FrameSink h264() {
    return FfmpegSink.builder().build();
  }
}
