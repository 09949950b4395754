package dev.snapreel.storage.s3;

import static dev.snapreel.storage.s3.S3StorageTest.read;
import static dev.snapreel.storage.s3.S3StorageTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.ActiveRecording;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.jdbc.JdbcRecordingIndex;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.testkit.PostgresServer;
import dev.snapreel.testkit.SnapshotImages;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two hosts (two RecordingServices, their own work directories) sharing one bucket (s3proxy) and
 * one PostgreSQL index: what A records, B lists, pages, downloads and deletes, and A then no longer
 * serves.
 */
class SharedIndexRecordingTest {
  private static final String BUCKET = "shared-index";

  private TwoHosts hosts;

  @TempDir
  Path dirA;

  @TempDir
  Path dirB;

  @BeforeEach
  void start() throws Exception {
    String database = PostgresServer.shared().newDatabase();
    hosts = TwoHosts.start(
        BUCKET, dirA, dirB, () -> JdbcRecordingIndex.builder().url(database).build());
  }

  @AfterEach
  void stop() throws Exception {
    hosts.close();
  }

  private RecordingMetadata record(String session, int level) throws Exception {
    ActiveRecording rec = hosts.hostA.start("alice", session);
    for (int i = 0; i < 6; i++) {
      rec.write(SnapshotImages.gray(320, 240, (level + 25 * i) % 255, session + " " + i));
      hosts.ticker.advanceMillis(200);
    }
    RecordingMetadata m = rec.stop();
    assertThat(m.status()).isIn(RecordingStatus.COMPLETED, RecordingStatus.UPLOAD_PENDING);
    Thread.sleep(2);
    return m;
  }

  @Test
  void recordingsMadeOnAAreListedPagedDownloadedAndDeletedThroughB() throws Exception {
    List<RecordingMetadata> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      made.add(record("s" + (i % 2), 40 * i));
    }
    assertThat(hosts.storageA.awaitUploads(Duration.ofSeconds(60))).isTrue();

    // B pages A's recordings from the shared index: completed (the upload confirmation reached it)
    RecordingPage first = hosts.hostB.list("alice", PageRequest.first(2));
    assertThat(first.recordings())
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(made.get(2).recordingId(), made.get(1).recordingId());
    RecordingPage second = hosts.hostB.list("alice", PageRequest.after(2, first.nextCursor()));
    assertThat(second.recordings())
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(made.get(0).recordingId());
    assertThat(second.nextCursor()).isNull();
    assertThat(first.recordings()).allSatisfy(m -> {
      assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(m.cloudStorageProvider()).isEqualTo("s3");
    });
    assertThat(hosts.hostB.list("alice", "s0", PageRequest.first(10)).recordings())
        .hasSize(2);
    assertThat(hosts.hostB.usage("alice").recordings()).isEqualTo(3);

    RecordingMetadata target = made.get(1);
    byte[] viaB = read(hosts.hostB.openVideo(
        "alice", target.recordingId(), ByteRange.all(target.fileSizeBytes())));
    assertThat(sha256(viaB)).as("the bytes A recorded").isEqualTo(target.sha256());
    Path downloaded = dirB.resolve("b.mp4");
    Files.write(downloaded, viaB);
    assertThat(VideoProbe.of(downloaded).decodedFrames())
        .isEqualTo(target.frameCount())
        .isPositive();

    hosts.hostB.delete("alice", target.recordingId());
    assertThat(hosts.hostA.get("alice", target.recordingId()))
        .as("A no longer serves it")
        .isEmpty();
    assertThat(hosts.hostA.list("alice", PageRequest.first(10)).recordings())
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(made.get(2).recordingId(), made.get(0).recordingId());
    try (S3Client raw = hosts.s3.client()) {
      assertThat(raw.listObjectsV2(r -> r.bucket(BUCKET)).contents())
          .noneMatch(o -> o.key().startsWith(target.filepath().replace(".mp4", "")));
    }
  }
}
