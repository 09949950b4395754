package dev.snapreel.index.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.index.IndexUnavailableException;
import dev.snapreel.index.PageRequest;
import dev.snapreel.internal.CatchUpIndex;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.testkit.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A PostgreSQL server that goes away and comes back: the index fails fast and recovers by itself. */
class PostgresOutageTest {
  private static PostgresServer server;

  @BeforeAll
  static void start() {
    server = PostgresServer.startNew(); // its own server: this test stops it
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static RecordingMetadata recording(String owner) {
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    return RecordingMetadata.builder()
        .identity(
            UUID.randomUUID().toString(),
            owner,
            "s1",
            "session_s1.mp4",
            owner + "/s1/session_s1.mp4")
        .status(RecordingStatus.COMPLETED)
        .format("h264", 30, 640, 480)
        .durationSeconds(1)
        .frameCount(30)
        .fileSizeBytes(100)
        .createdAt(t)
        .startedAt(t)
        .endedAt(t)
        .counters(5, 0, 25, 0)
        .build();
  }

  @Test
  void unreachableDatabaseFailsFastAsUnavailableAndRecovers() {
    String url = server.newDatabase();
    try (JdbcRecordingIndex index = JdbcRecordingIndex.builder()
        .url(url)
        .connectionTimeout(Duration.ofMillis(500))
        .build()) {
      RecordingMetadata before = recording("alice");
      index.put(before);

      server.stop();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> index.list("alice", PageRequest.first(10)))
          .isInstanceOf(IndexUnavailableException.class);
      assertThatThrownBy(() -> index.put(recording("alice")))
          .isInstanceOf(IndexUnavailableException.class);
      assertThatThrownBy(() -> index.usage("alice")).isInstanceOf(IndexUnavailableException.class);
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(elapsedMs)
          .as("three calls fail within their connection timeouts")
          .isLessThan(10_000);

      server.start();
      RecordingMetadata after = recording("alice");
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (true) { // the pool reconnects on its own within a few attempts
        try {
          index.put(after);
          break;
        } catch (IndexUnavailableException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
      assertThat(index.list("alice", PageRequest.first(10)).recordings())
          .containsExactlyInAnyOrder(before, after);
    }
  }

  @Test
  void writesDuringAnOutageAreKeptAndReplayedInOrderWhenTheDatabaseIsBack() throws Exception {
    String url = server.newDatabase();
    JdbcRecordingIndex jdbc = JdbcRecordingIndex.builder()
        .url(url)
        .connectionTimeout(Duration.ofMillis(500))
        .build();
    try (CatchUpIndex index = new CatchUpIndex(jdbc, Duration.ofMillis(200))) {
      RecordingMetadata kept = recording("alice");
      RecordingMetadata deleted = recording("alice");
      index.put(kept);
      index.put(deleted);

      server.stop();
      RecordingMetadata started =
          recording("alice").toBuilder().status(RecordingStatus.RECORDING).build();
      index.put(started); // a recording starts while the database is down
      RecordingMetadata finished = started.toBuilder()
          .status(RecordingStatus.COMPLETED)
          .fileSizeBytes(777)
          .build();
      assertThat(index.update(finished)).isTrue(); // ...and stops
      index.remove("alice", deleted.recordingId());
      assertThat(index.pendingWrites()).isEqualTo(2);
      assertThatThrownBy(() -> index.get("alice", kept.recordingId()))
          .isInstanceOf(IndexUnavailableException.class);

      server.start();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (index.pendingWrites() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(index.pendingWrites()).isZero();
      assertThat(index.list("alice", PageRequest.first(10)).recordings())
          .containsExactlyInAnyOrder(kept, finished);
      assertThat(index.usage("alice").totalBytes()).isEqualTo(kept.fileSizeBytes() + 777);
    }
  }

  @Test
  void openingAnUnreachableDatabaseIsUnavailable() {
    String url = "jdbc:postgresql://127.0.0.1:1/none?user=snapreel&connectTimeout=1";
    assertThatThrownBy(() -> JdbcRecordingIndex.builder()
            .url(url)
            .connectionTimeout(Duration.ofMillis(500))
            .build())
        .isInstanceOf(IndexUnavailableException.class);
  }
}
