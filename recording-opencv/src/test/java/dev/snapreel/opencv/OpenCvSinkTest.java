package dev.snapreel.opencv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.snapreel.EncoderException;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.SnapshotImages;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenCvSinkTest {
  private final FrameSink sink = OpenCvSinks.videoWriter();

  @TempDir
  Path temp;

  @Test
  void isNamedOpencvAndIsNotCrashSafe() {
    assertThat(sink.name()).isEqualTo("opencv");
    assertThat(sink.crashSafe()).isFalse();
    Path partial = temp.resolve("x.partial.mp4");
    assertThatThrownBy(() -> sink.recover(partial, temp.resolve("x.mp4"), spec("mp4v")))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("not crash-safe");
  }

  @Test
  void refusesCodecsItDoesNotKnow() {
    assertThatThrownBy(() -> sink.validate(spec("libx264")))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("'libx264'")
        .hasMessageContaining("mp4v");
  }

  /**
   * Each codec either works end to end (validate names it, a file decodes back as it) or is refused
   * with an EncoderException that names it and the OpenCV build; never another codec in its place.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"mp4v, mpeg4", "mpeg4, mpeg4", "h264, h264", "avc1, h264"})
  void eachCodecWorksOrIsRefusedClearly(String codec, String decodedAs) throws Exception {
    String refusal = OpenCvCodecs.refusal(sink, codec);
    if (refusal == null) {
      assertThat(sink.validate(spec(codec))).isEqualTo(decodedAs);
      Path target = temp.resolve("out.mp4");
      try (EncodingSession session = sink.open(spec(codec), temp.resolve("out.partial.mp4"))) {
        try (PreparedFrame frame = session.prepare(SnapshotImages.gray(640, 480, 128, "x"))) {
          session.write(frame, false);
          session.write(frame, true);
          session.write(frame, true);
        }
        assertThat(session.finish(target)).isEqualTo(3);
      }
      VideoProbe probe = VideoProbe.of(target);
      assertThat(probe.codec()).isEqualTo(decodedAs);
      assertThat(probe.decodedFrames()).isEqualTo(3);
      assertThat(probe.frameRate()).isCloseTo(30, within(0.01));
      assertThat(probe.width()).isEqualTo(320);
    } else {
      assertThat(OpenCvCodecs.REQUIRED)
          .as("SNAPREEL_REQUIRE_OPENCV_FFMPEG=true, but: %s", refusal)
          .isFalse();
      assertThat(refusal)
          .contains("'" + codec + "'")
          .contains("OpenCV build cannot write")
          .contains("OPENCV_VIDEOIO_PLUGIN_PATH");
      // Refused the same way every time (cached probe), and the service refuses to start with it.
      assertThatThrownBy(() -> sink.validate(spec(codec)))
          .isInstanceOf(EncoderException.class)
          .hasMessage(refusal);
      LocalStorage storage = LocalStorage.create(temp.resolve("recordings"));
      try (RecordingService service =
          RecordingService.builder().sink(sink).storage(storage).build()) {
        RecordingOptions options = new RecordingOptions(30, new Resolution(320, 240), codec, 90);
        assertThatThrownBy(() -> service.start("alice", "s1", options))
            .isInstanceOf(EncoderException.class)
            .hasMessage(refusal);
        assertThat(service.list("alice")).isEmpty();
      }
      try (var files = Files.walk(temp.resolve("recordings"))) {
        assertThat(files.filter(p -> p.toString().endsWith(".mp4")).toList()).isEmpty();
      }
    }
  }

  private static EncodingSpec spec(String codec) {
    return new EncodingSpec(codec, 320, 240, 30, 90, 2);
  }
}
