package dev.snapreel.opencv;

import dev.snapreel.sink.FrameSink;
import dev.snapreel.testkit.FrameSinkConformanceTest;
import org.junit.jupiter.api.BeforeEach;

/**
 * The OpenCV sink with {@code mp4v} against the shared conformance kit. Runs wherever the OpenCV
 * build can write mp4v, which for bytedeco's OpenCV means OpenCV's FFmpeg videoio plugin on {@code
 * OPENCV_VIDEOIO_PLUGIN_PATH} (the build makes one, see {@code src/plugin/build-ffmpeg-plugin.sh}).
 * Where it cannot, every test is reported as skipped with the sink's refusal and what to install,
 * or fails when {@code SNAPREEL_REQUIRE_OPENCV_FFMPEG=true} (CI).
 */
class OpenCvSinkConformanceTest extends FrameSinkConformanceTest {
  private static final FrameSink SINK = OpenCvSinks.videoWriter();

  /** Per test, so every kit test shows up as skipped with the reason, not as zero tests. */
  @BeforeEach
  void requireAWritableCodec() {
    OpenCvCodecs.assumeWritable(SINK, codec());
  }

  @Override
  protected FrameSink sink() {
    return SINK;
  }

  @Override
  protected String codec() {
    return "mp4v";
  }

  @Override
  protected String expectedCodecName() {
    return "mpeg4";
  }

  /** By design: VideoWriter writes a plain MP4 whose index exists only once the writer is released. */
  @Override
  protected boolean expectsCrashSafe() {
    return false;
  }

  /** VideoWriter's FFmpeg backend writes the index at the end and has no faststart option. */
  @Override
  protected boolean expectsMoovFirst() {
    return false;
  }
}
