package dev.snapreel.opencv;

import dev.snapreel.opencv.internal.OpenCvSession;
import dev.snapreel.opencv.internal.WriterCodecs;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_videoio;

/**
 * Entry point of the OpenCV sink, the counterpart of {@code FfmpegSinks}.
 *
 * @since 0.1.0
 */
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

  /**
   * A session of this sink writing Motion-JPEG in AVI to {@code output} with OpenCV's built-in
   * writer, which every OpenCV build has (no FFmpeg videoio plugin). Its {@code prepare} is the
   * sink's own (decode to BGR, letterbox onto the frame size), so this measures or tests that step
   * anywhere; not a recording format ({@code spec}'s codec is ignored).
   */
  public static EncodingSession motionJpegSession(EncodingSpec spec, Path output) {
    return OpenCvSession.open(
        new WriterCodecs.Writable("mjpeg", "mjpeg", "MJPG", opencv_videoio.CAP_OPENCV_MJPEG),
        spec,
        output);
  }
}
