package dev.snapreel.opencv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.snapreel.EncoderException;
import dev.snapreel.InvalidFrameException;
import dev.snapreel.Snapshot;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.PreparedFrame;
import dev.snapreel.testkit.SnapshotImages;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_videoio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's writer handling (one VideoWriter call per slot, release, move, abandon) on a real
 * OpenCV encoder. The stock bytedeco build writes MP4 with no codec, so these tests drive the one
 * writer every OpenCV build has, Motion-JPEG in AVI; the sink itself never offers it.
 */
class OpenCvSessionTest {
  private static final WriterCodecs.Writable MJPEG =
      new WriterCodecs.Writable("mjpeg", "mjpeg", "MJPG", opencv_videoio.CAP_OPENCV_MJPEG);

  @TempDir
  Path temp;

  private final EncodingSpec spec = new EncodingSpec("mjpeg", 320, 240, 25, 90, 2);

  @Test
  void everyWriteIsOneFrameAndFinishMovesTheFileToTheTarget() {
    Path output = temp.resolve("rec.partial.avi");
    Path target = temp.resolve("rec.avi");
    long frames;
    try (OpenCvSession session = OpenCvSession.open(MJPEG, spec, output)) {
      int[] repeats = {1, 5, 10};
      for (int i = 0; i < repeats.length; i++) {
        try (PreparedFrame frame =
            session.prepare(SnapshotImages.gray(640, 360, 40 + 80 * i, "#" + i))) {
          for (int n = 0; n < repeats[i]; n++) {
            session.write(frame, n > 0);
          }
        }
      }
      frames = session.finish(target);
    }
    assertThat(frames).isEqualTo(16);
    assertThat(output).doesNotExist();
    VideoProbe probe = VideoProbe.of(target);
    assertThat(probe.codec()).isEqualTo("mjpeg");
    assertThat(probe.decodedFrames()).isEqualTo(16);
    assertThat(probe.frameRate()).isCloseTo(25, within(0.01));
    assertThat(probe.width()).isEqualTo(320);
    assertThat(probe.height()).isEqualTo(240);
  }

  @Test
  void closeWithoutFinishReleasesTheWriterAndDeletesTheUnfinishedFile() {
    Path output = temp.resolve("abandoned.partial.avi");
    OpenCvSession session = OpenCvSession.open(MJPEG, spec, output);
    try (PreparedFrame frame = session.prepare(SnapshotImages.gray(320, 240, 90, "x"))) {
      session.write(frame, false);
    }
    assertThat(output).exists();
    session.close();
    session.close();
    assertThat(output).doesNotExist();
    assertThatThrownBy(() -> session.prepare(SnapshotImages.gray(320, 240, 90, "y")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesFramesOfAnotherSessionAndClosedFrames() {
    try (OpenCvSession a = OpenCvSession.open(MJPEG, spec, temp.resolve("a.partial.avi"));
        OpenCvSession b = OpenCvSession.open(MJPEG, spec, temp.resolve("b.partial.avi"))) {
      PreparedFrame fromA = a.prepare(SnapshotImages.gray(320, 240, 90, "a"));
      assertThatThrownBy(() -> b.write(fromA, false)).isInstanceOf(IllegalArgumentException.class);
      fromA.close();
      fromA.close(); // idempotent
      assertThatThrownBy(() -> a.write(fromA, false)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void corruptSnapshotFailsPrepareAndTheSessionGoesOn() throws Exception {
    Path target = temp.resolve("c.avi");
    try (OpenCvSession session = OpenCvSession.open(MJPEG, spec, temp.resolve("c.partial.avi"))) {
      Snapshot corrupt = Snapshot.encoded(SnapshotImages.corruptJpeg(320, 240));
      assertThatThrownBy(() -> session.prepare(corrupt)).isInstanceOf(InvalidFrameException.class);
      try (PreparedFrame frame = session.prepare(SnapshotImages.gray(320, 240, 90, "ok"))) {
        session.write(frame, false);
      }
      assertThat(session.finish(target)).isEqualTo(1);
    }
    assertThat(Files.size(target)).isPositive();
  }

  @Test
  void anExistingOutputIsNotOverwritten() throws Exception {
    Path output = Files.createFile(temp.resolve("taken.partial.avi"));
    assertThatThrownBy(() -> OpenCvSession.open(MJPEG, spec, output))
        .isInstanceOf(EncoderException.class);
  }
}
