package dev.snapreel.ffmpeg;

import dev.snapreel.sink.FrameSink;
import dev.snapreel.testkit.FrameSinkConformanceTest;

/** The FFmpeg sink with AV1 (SVT-AV1) against the shared sink conformance kit. */
class FfmpegAv1SinkConformanceTest extends FrameSinkConformanceTest {
  private static final FrameSink SINK = FfmpegSinks.h264();

  @Override
  protected FrameSink sink() {
    return SINK;
  }

  @Override
  protected String codec() {
    return "av1";
  }

  @Override
  protected String expectedCodecName() {
    return "av1";
  }

  /** Fragmented MP4 while recording, as for H.264. */
  @Override
  protected boolean expectsCrashSafe() {
    return true;
  }
}
