package dev.snapreel.opencv;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.snapreel.EncoderException;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.testkit.FrameSinkConformanceTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;

/**
 * The OpenCV sink with {@code mp4v} against the shared conformance kit. Runs wherever the OpenCV
 * build can write mp4v; where it cannot (the stock bytedeco build, see {@link OpenCvSink}), every
 * test is reported as skipped with the sink's own EncoderException message, and {@link
 * OpenCvSinkTest} asserts that this refusal is what happens.
 */
class OpenCvSinkConformanceTest extends FrameSinkConformanceTest {
  private static final FrameSink SINK = OpenCvSinks.videoWriter();

  /** Per test, so every kit test shows up as skipped with the reason, not as zero tests. */
  @BeforeEach
  void requireAnMp4vCapableOpenCvBuild() {
    String refusal = refusal(SINK, "mp4v");
    assumeTrue(refusal == null, () -> "OpenCV sink conformance not run: " + refusal);
  }

  static @Nullable String refusal(FrameSink sink, String codec) {
    try {
      sink.validate(new EncodingSpec(codec, 320, 240, 30, 90, 2));
      return null;
    } catch (EncoderException e) {
      return e.getMessage();
    }
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
