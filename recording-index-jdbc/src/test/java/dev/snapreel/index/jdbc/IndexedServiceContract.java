package dev.snapreel.index.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.index.InvalidCursorException;
import dev.snapreel.index.OwnerUsage;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.ManualTicker;
import dev.snapreel.testkit.SnapshotImages;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RecordingService} with a JDBC index: real H.264 recordings into local storage, found,
 * paged, counted, deleted and expired through the index; rebuilt from the storage at start.
 */
abstract class IndexedServiceContract {
  @TempDir
  Path dir;

  protected final ManualTicker ticker = ManualTicker.create();
  private final List<RecordingService> services = new ArrayList<>();

  /** A new index on the same database each call (a fresh database per test). */
  protected abstract JdbcRecordingIndex openIndex();

  @AfterEach
  void closeServices() {
    for (RecordingService s : services) {
      s.close();
    }
  }

  protected RecordingService service(JdbcRecordingIndex index) {
    return service(index, Long.MAX_VALUE);
  }

  protected RecordingService service(JdbcRecordingIndex index, long maxOwnerBytes) {
    RecordingService.Builder b = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir.resolve("recordings")))
        .defaults(RecordingOptions.defaults().withResolution(Resolution.parse("320x240")))
        .ticker(ticker)
        .index(index);
    if (maxOwnerBytes < Long.MAX_VALUE) {
      b.maxOwnerBytes(maxOwnerBytes);
    }
    RecordingService s = b.build();
    services.add(s);
    return s;
  }

  protected RecordingMetadata record(RecordingService s, String owner, String session, int frames)
      throws Exception {
    ActiveRecording rec = s.start(owner, session);
    for (int i = 0; i < frames; i++) {
      rec.write(SnapshotImages.gray(320, 240, (40 * i) % 255, owner + " " + i));
      ticker.advanceMillis(200);
    }
    RecordingMetadata m = rec.stop();
    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    Thread.sleep(2); // distinct created_at
    return m;
  }

  @Test
  void recordingsAreFoundPagedCountedAndDeletedThroughTheIndex() throws Exception {
    JdbcRecordingIndex index = openIndex();
    RecordingService s = service(index);
    RecordingMetadata a1 = record(s, "alice", "s1", 5);
    RecordingMetadata a2 = record(s, "alice", "s1", 5);
    RecordingMetadata a3 = record(s, "alice", "s2", 5);
    RecordingMetadata b1 = record(s, "bob", "s1", 5);

    // the index holds exactly what the service stored
    assertThat(index.get("alice", a2.recordingId())).contains(a2);

    RecordingPage first = s.list("alice", PageRequest.first(2));
    assertThat(first.recordings())
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(a3.recordingId(), a2.recordingId());
    RecordingPage second = s.list("alice", PageRequest.after(2, first.nextCursor()));
    assertThat(second.recordings())
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(a1.recordingId());
    assertThat(second.nextCursor()).isNull();
    assertThat(s.list("alice", "s1", PageRequest.first(10)).recordings())
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(a2.recordingId(), a1.recordingId());
    assertThatThrownBy(() -> s.list("bob", PageRequest.after(2, first.nextCursor())))
        .isInstanceOf(InvalidCursorException.class);
    assertThat(s.list("alice")).hasSize(3);

    assertThat(s.get("bob", a1.recordingId())).isEmpty();
    assertThat(s.usage("alice"))
        .isEqualTo(new OwnerUsage(3, a1.fileSizeBytes() + a2.fileSizeBytes() + a3.fileSizeBytes()));
    try (InputStream in =
        s.openVideo("alice", a1.recordingId(), ByteRange.all(a1.fileSizeBytes()))) {
      assertThat(in.readAllBytes()).hasSize((int) a1.fileSizeBytes());
    }

    s.delete("alice", a2.recordingId());
    assertThat(index.get("alice", a2.recordingId())).isEmpty();
    assertThat(s.list("alice", PageRequest.first(10)).recordings())
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(a3.recordingId(), a1.recordingId());
    assertThat(s.usage("bob").recordings()).isEqualTo(1);
    assertThat(s.get("bob", b1.recordingId())).contains(b1);
  }

  @Test
  void theStorageQuotaRefusesNewRecordingsAndStopsARecordingThatReachesIt() throws Exception {
    JdbcRecordingIndex first = openIndex();
    RecordingService unlimited = service(first);
    RecordingMetadata small = record(unlimited, "alice", "s1", 3);
    record(unlimited, "bob", "s1", 3);
    unlimited.close();

    long quota = small.fileSizeBytes() + 20_000;
    RecordingService s = service(openIndex(), quota);
    ActiveRecording rec = s.start("alice", "s2"); // under the quota: starts
    long deadline = System.nanoTime() + 60_000_000_000L;
    int i = 0;
    while (s.active("alice", "s2").isPresent() && System.nanoTime() < deadline) {
      try {
        rec.write(
            SnapshotImages.gray(320, 240, (i * 37) % 255, "frame " + i + " " + "#".repeat(i % 40)));
      } catch (dev.snapreel.RecordingConflictException e) {
        break; // stopped by the quota between the check and the write
      }
      ticker.advanceMillis(200);
      i++;
      Thread.sleep(20);
    }
    RecordingMetadata stopped = rec.stop(); // waits for the quota's stop to be stored
    assertThat(s.active("alice", "s2")).as("stopped by the quota").isEmpty();
    assertThat(s.get("alice", rec.recordingId())).contains(stopped);
    assertThat(stopped.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(stopped.error())
        .startsWith(RecordingService.QUOTA_REASON)
        .contains(Long.toString(quota));
    assertThat(stopped.frameCount()).isPositive();
    assertThat(dev.snapreel.testkit.VideoProbe.of(
                dir.resolve("recordings").resolve(stopped.filepath()))
            .decodedFrames())
        .isEqualTo(stopped.frameCount());

    assertThatThrownBy(() -> s.start("alice", "s3"))
        .isInstanceOf(dev.snapreel.QuotaExceededException.class)
        .hasMessageContaining("quota");
    s.start("bob", "s2").stop(); // another owner still records
    s.delete("alice", stopped.recordingId());
    s.start("alice", "s3").stop(); // room again
  }

  @Test
  void anActiveRecordingIsIndexedAtStartAndListedLive() throws Exception {
    JdbcRecordingIndex index = openIndex();
    RecordingService s = service(index);
    ActiveRecording rec = s.start("alice", "live");
    rec.write(SnapshotImages.gray(320, 240, 100, "live"));
    ticker.advanceMillis(500);
    assertThat(index.get("alice", rec.recordingId()))
        .get()
        .extracting(RecordingMetadata::status)
        .isEqualTo(RecordingStatus.RECORDING);
    RecordingPage page = s.list("alice", PageRequest.first(10));
    assertThat(page.recordings()).singleElement().satisfies(m -> {
      assertThat(m.status()).isEqualTo(RecordingStatus.RECORDING);
      assertThat(m.framesReceived()).isEqualTo(1);
    });
    RecordingMetadata done = rec.stop();
    assertThat(index.get("alice", rec.recordingId())).contains(done);
  }

  @Test
  void theIndexIsRebuiltFromTheStorageAtStart() throws Exception {
    RecordingMetadata kept;
    RecordingMetadata deletedBehindItsBack;
    JdbcRecordingIndex first = openIndex();
    RecordingService s = service(first);
    kept = record(s, "alice", "s1", 4);
    deletedBehindItsBack = record(s, "alice", "s1", 4);
    s.close();

    // the storage changes while no service runs: one recording removed by hand, and the index
    // loses a row (as if written by an older version)
    LocalStorage storage = LocalStorage.create(dir.resolve("recordings"));
    storage.delete(deletedBehindItsBack.filepath());
    storage.delete(deletedBehindItsBack.metadataKey());
    try (JdbcRecordingIndex raw = openIndex()) {
      raw.remove("alice", kept.recordingId());
      assertThat(raw.get("alice", deletedBehindItsBack.recordingId())).isPresent();
    }

    JdbcRecordingIndex again = openIndex();
    RecordingService restarted = service(again);
    assertThat(again.get("alice", kept.recordingId())).contains(kept);
    assertThat(again.get("alice", deletedBehindItsBack.recordingId())).isEmpty();
    assertThat(restarted.list("alice", PageRequest.first(10)).recordings()).containsExactly(kept);
    assertThat(restarted.reindex()).isEqualTo(1);
  }

  @Test
  void retentionGoesThroughTheIndexAndSparesPendingAndKeptRecordings() throws Exception {
    JdbcRecordingIndex index = openIndex();
    RecordingService s = service(index);
    RecordingMetadata old1 = record(s, "alice", "s1", 3);
    RecordingMetadata old2 = record(s, "bob", "s1", 3);
    Instant longAgo = Instant.now().minus(Duration.ofDays(30));
    RecordingMetadata pending = old1.toBuilder()
        .identity("pending-1", "carol", "s1", "p.mp4", "carol/s1/p.mp4")
        .status(RecordingStatus.UPLOAD_PENDING)
        .createdAt(longAgo)
        .build();
    RecordingMetadata kept = old1.toBuilder()
        .identity("kept-1", "carol", "s1", "k.mp4", "carol/s1/k.mp4")
        .status(RecordingStatus.FAILED)
        .error("storing failed, kept for retry: disk full")
        .createdAt(longAgo)
        .build();
    index.put(pending);
    index.put(kept);
    Thread.sleep(20);

    assertThat(s.cleanupOlderThan(Duration.ofMillis(10))).isEqualTo(2);
    assertThat(s.get("alice", old1.recordingId())).isEmpty();
    assertThat(s.get("bob", old2.recordingId())).isEmpty();
    assertThat(index.get("carol", "pending-1")).isPresent();
    assertThat(index.get("carol", "kept-1")).isPresent();
    assertThat(LocalStorage.create(dir.resolve("recordings")).list("alice/")).isEmpty();
  }
}
