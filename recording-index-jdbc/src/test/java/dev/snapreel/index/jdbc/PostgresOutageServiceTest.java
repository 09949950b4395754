package dev.snapreel.index.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.index.IndexUnavailableException;
import dev.snapreel.index.PageRequest;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.ManualTicker;
import dev.snapreel.testkit.PostgresServer;
import dev.snapreel.testkit.SnapshotImages;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL goes down in the middle of a recording: nothing is lost, queries fail, the index catches up. */
class PostgresOutageServiceTest {
  @TempDir
  Path dir;

  private PostgresServer server;

  @BeforeEach
  void start() {
    server = PostgresServer.startNew();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void recordingGoesOnWhileTheDatabaseIsDownAndTheIndexCatchesUp() throws Exception {
    ManualTicker ticker = ManualTicker.create();
    JdbcRecordingIndex index = JdbcRecordingIndex.builder()
        .url(server.newDatabase())
        .connectionTimeout(Duration.ofMillis(500))
        .build();
    try (RecordingService s = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir.resolve("recordings")))
        .defaults(RecordingOptions.defaults().withResolution(Resolution.parse("320x240")))
        .ticker(ticker)
        .index(index)
        .build()) {
      ActiveRecording rec = s.start("alice", "s1");
      for (int i = 0; i < 5; i++) {
        rec.write(SnapshotImages.gray(320, 240, 30 * i, "before " + i));
        ticker.advanceMillis(200);
      }
      server.stop();
      for (int i = 0; i < 5; i++) {
        rec.write(SnapshotImages.gray(320, 240, 200 - 30 * i, "during " + i));
        ticker.advanceMillis(200);
      }
      RecordingMetadata done = rec.stop();
      assertThat(done.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(done.framesReceived()).isEqualTo(10);
      VideoProbe probe = VideoProbe.of(dir.resolve("recordings").resolve(done.filepath()));
      assertThat(probe.decodedFrames()).isEqualTo(done.frameCount()).isEqualTo(60);

      assertThatThrownBy(() -> s.list("alice", PageRequest.first(10)))
          .isInstanceOf(IndexUnavailableException.class);
      assertThatThrownBy(() -> s.get("alice", done.recordingId()))
          .isInstanceOf(IndexUnavailableException.class);

      server.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      Optional<RecordingMetadata> indexed = Optional.empty();
      while (System.nanoTime() < deadline) {
        try {
          indexed = index.get("alice", done.recordingId());
          if (indexed.isPresent() && indexed.get().status() == RecordingStatus.COMPLETED) {
            break;
          }
        } catch (IndexUnavailableException e) {
          // the pool is reconnecting
        }
        Thread.sleep(100);
      }
      assertThat(indexed)
          .as("the finished recording reached the index once it was back")
          .contains(done);
      assertThat(s.list("alice", PageRequest.first(10)).recordings()).containsExactly(done);
    }
  }
}
