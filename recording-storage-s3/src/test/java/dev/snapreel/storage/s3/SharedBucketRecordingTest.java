package dev.snapreel.storage.s3;

import static dev.snapreel.storage.s3.S3StorageTest.read;
import static dev.snapreel.storage.s3.S3StorageTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.ActiveRecording;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.testkit.SnapshotImages;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Two hosts (two RecordingService instances) behind a load balancer sharing one bucket. */
class SharedBucketRecordingTest {
  private static final String BUCKET = "shared";

  private TwoHosts hosts;

  @TempDir
  Path dirA;

  @TempDir
  Path dirB;

  @TempDir
  Path downloads;

  @BeforeEach
  void start() throws Exception {
    hosts = TwoHosts.start(BUCKET, dirA, dirB);
  }

  @AfterEach
  void stop() throws Exception {
    hosts.close();
  }

  @Test
  void recordingMadeOnOneHostIsListedDownloadedAndDeletedOnTheOther() throws Exception {
    ActiveRecording rec = hosts.hostA.start("alice", "s1");
    for (int i = 0; i < 10; i++) {
      rec.write(SnapshotImages.gray(320, 240, 20 * i, "frame " + i));
      hosts.ticker.advanceMillis(200);
    }
    RecordingMetadata stopped = rec.stop();
    assertThat(stopped.status()).isIn(RecordingStatus.COMPLETED, RecordingStatus.UPLOAD_PENDING);
    assertThat(hosts.storageA.awaitUploads(Duration.ofSeconds(30))).isTrue();
    assertThat(Files.exists(dirA.resolve("recordings").resolve(stopped.filepath())))
        .as("host A's local copy removed after the confirmed upload")
        .isFalse();

    assertThat(hosts.hostB.list("alice")).singleElement().satisfies(m -> {
      assertThat(m.recordingId()).isEqualTo(stopped.recordingId());
      assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(m.cloudStorageProvider()).isEqualTo("s3");
      assertThat(m.cloudStorageUrl()).isEqualTo("s3://" + BUCKET + "/" + stopped.filepath());
    });
    assertThat(hosts.hostB.list("bob")).isEmpty();

    byte[] viaB = read(hosts.hostB.openVideo(
        "alice", stopped.recordingId(), ByteRange.all(stopped.fileSizeBytes())));
    assertThat(viaB).hasSize((int) stopped.fileSizeBytes());
    assertThat(sha256(viaB)).as("bytes equal to what host A recorded").isEqualTo(stopped.sha256());
    Path downloaded = downloads.resolve("b.mp4");
    Files.write(downloaded, viaB);
    VideoProbe probe = VideoProbe.of(downloaded);
    assertThat(probe.width()).isEqualTo(320);
    assertThat(probe.decodedFrames()).isEqualTo(stopped.frameCount()).isPositive();
    assertThat(hosts.hostB.presignedUrl("alice", stopped.recordingId(), Duration.ofMinutes(5)))
        .isPresent();

    hosts.hostB.delete("alice", stopped.recordingId());

    assertThat(hosts.hostA.list("alice")).isEmpty();
    assertThat(hosts.hostA.get("alice", stopped.recordingId())).isEmpty();
    try (S3Client raw = hosts.s3.client()) {
      assertThat(raw.listObjectsV2(r -> r.bucket(BUCKET)).contents()).isEmpty();
    }
  }
}
