package dev.snapreel.ffmpeg;

import dev.snapreel.sink.FrameSink;
import dev.snapreel.testkit.FrameSinkConformanceTest;

/** The FFmpeg sink with H.264 (libopenh264) against the shared sink conformance kit. */
class FfmpegSinkConformanceTest extends FrameSinkConformanceTest {
  private static final FrameSink SINK = FfmpegSinks.h264();

  @Override
  protected FrameSink sink() {
    return SINK;
  }

  @Override
  protected String codec() {
    return "h264";
  }

  @Override
  protected String expectedCodecName() {
    return "h264";
  }

  /** Fragmented MP4 while recording: a killed process leaves a recoverable file. */
  @Override
  protected boolean expectsCrashSafe() {
    return true;
  }
}
