package dev.snapreel.opencv;

import dev.snapreel.EncoderException;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine's OpenCV can write a codec and, when it cannot, why and how to fix it. The
 * plugin is built by {@code src/plugin/build-ffmpeg-plugin.sh} before the tests run; when it could not
 * be (missing packages, no network) the script left the reason and the fix in {@code NOT-BUILT.txt}.
 */
final class OpenCvCodecs {
  /** CI sets this: there, a sink that cannot write mp4v or h264 is a failure, not a skip. */
  static final boolean REQUIRED = "true".equals(System.getenv("SNAPREEL_REQUIRE_OPENCV_FFMPEG"));

  private OpenCvCodecs() {}

  /** The sink's refusal of {@code codec}, or null if it validates. */
  static @Nullable String refusal(FrameSink sink, String codec) {
    try {
      sink.validate(new EncodingSpec(codec, 320, 240, 30, 90, 2));
      return null;
    } catch (EncoderException e) {
      return e.getMessage();
    }
  }

  /**
   * Returns if {@code sink} can write {@code codec}; otherwise skips the calling test with the sink's
   * refusal and the plugin build's note, or fails it when {@link #REQUIRED}.
   */
  static void assumeWritable(FrameSink sink, String codec) {
    String refusal = refusal(sink, codec);
    if (refusal == null) {
      return;
    }
    String why = refusal + notBuilt();
    if (REQUIRED) {
      throw new AssertionError("SNAPREEL_REQUIRE_OPENCV_FFMPEG=true, but " + why);
    }
    Assumptions.abort("OpenCV sink test not run: " + why);
  }

  /** The plugin build script's explanation, if it left one. */
  private static String notBuilt() {
    String dir = System.getProperty("snapreel.opencv.plugin.dir");
    if (dir == null) {
      return "";
    }
    Path note = Path.of(dir, "NOT-BUILT.txt");
    try {
      return Files.exists(note) ? "\n" + Files.readString(note).strip() : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
