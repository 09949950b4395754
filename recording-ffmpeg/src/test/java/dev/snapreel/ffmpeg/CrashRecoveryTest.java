package dev.snapreel.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.RecordingService;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.VideoProbe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed with SIGKILL while recording leaves a file that decodes; the next service started on
 * the same directory recovers it into a finished, moov-first recording with status {@code recovered}.
 */
class CrashRecoveryTest {
  @TempDir
  Path dir;

  @Test
  void aKilledProcessLeavesAPlayableRecordingThatIsRecoveredAtTheNextStart() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashingRecorder.class.getName(),
            dir.toString())
        .redirectErrorStream(true)
        .start();
    long writtenBeforeKill = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("written ")) {
          writtenBeforeKill = Long.parseLong(line.substring(8).trim());
          if (writtenBeforeKill >= 100) { // more than 3 s of video
            break;
          }
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no trailer, no finally blocks
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(writtenBeforeKill)
        .as("child recorded before being killed")
        .isGreaterThanOrEqualTo(100);

    // What the killed process left behind is already playable.
    Path partial;
    try (Stream<Path> files = Files.list(dir.resolve(".inprogress"))) {
      partial =
          files.filter(p -> p.toString().endsWith(".partial.mp4")).findFirst().orElseThrow();
    }
    VideoProbe left = VideoProbe.of(partial);
    assertThat(left.codec()).isEqualTo("h264");
    assertThat(left.fragmented()).isTrue();
    assertThat(left.decodedFrames()).isBetween(writtenBeforeKill - 45, writtenBeforeKill);

    // The next service recovers it.
    try (RecordingService service = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir))
        .build()) {
      List<RecordingMetadata> recordings = service.list("u1");
      assertThat(recordings).hasSize(1);
      RecordingMetadata recovered = recordings.get(0);
      assertThat(recovered.status()).isEqualTo(RecordingStatus.RECOVERED);
      assertThat(recovered.frameCount()).isEqualTo(left.decodedFrames());
      VideoProbe probe = VideoProbe.of(dir.resolve(recovered.filepath()));
      assertThat(probe.decodedFrames()).isEqualTo(recovered.frameCount());
      assertThat(probe.moovBeforeMdat()).isTrue();
      assertThat(probe.fragmented()).isFalse();
      assertThat(probe.frameRate()).isEqualTo(30.0);
      try (Stream<Path> rest = Files.list(dir.resolve(".inprogress"))) {
        assertThat(rest.filter(p -> !p.getFileName().toString().startsWith(".")))
            .isEmpty();
      }
    }
  }
}
