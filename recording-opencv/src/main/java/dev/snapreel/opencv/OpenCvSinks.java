package dev.snapreel.opencv;

import dev.snapreel.sink.FrameSink;

/** Entry point of the OpenCV sink, the counterpart of {@code FfmpegSinks}. */
public final class OpenCvSinks {
  private OpenCvSinks() {}

  /**
   * The OpenCV {@code VideoWriter} sink. Ask for codec {@code mp4v} (the specification's default
   * for this path; MPEG-4 Part 2, not playable in browsers) or {@code h264}/{@code avc1} where the
   * OpenCV build can write it.
   */
  public static FrameSink videoWriter() {
    return OpenCvSink.create();
  }
}
