package dev.snapreel.storage.s3;

import static dev.snapreel.storage.s3.S3StorageTest.read;
import static dev.snapreel.storage.s3.S3StorageTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.ManualTicker;
import dev.snapreel.testkit.SnapshotImages;
import dev.snapreel.testkit.VideoProbe;
import dev.snapreel.upload.Backoff;
import dev.snapreel.upload.UploadingStorage;
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

  private S3ProxyServer server;
  private RecordingService hostA;
  private RecordingService hostB;
  private UploadingStorage storageA;
  private final ManualTicker ticker = ManualTicker.create();
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path downloads;

  @BeforeEach
  void start() throws Exception {
    server = S3ProxyServer.start(BUCKET);
    storageA = storage(dirA);
    hostA = service(storageA, dirA);
    hostB = service(storage(dirB), dirB);
  }

  @AfterEach
  void stop() throws Exception {
    hostA.close();
    hostB.close();
    server.close();
  }

  private UploadingStorage storage(Path dir) {
    return UploadingStorage.builder()
        .local(LocalStorage.create(dir.resolve("recordings")))
        .remote(server.storage(BUCKET).build())
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)))
        .removeLocalAfterUpload(true)
        .build();
  }

  private RecordingService service(UploadingStorage storage, Path dir) {
    return RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(storage)
        .workDirectory(dir.resolve("work"))
        .defaults(RecordingOptions.defaults().withResolution(Resolution.parse("320x240")))
        .ticker(ticker)
        .build();
  }

  @Test
  void recordingMadeOnOneHostIsListedDownloadedAndDeletedOnTheOther() throws Exception {
    ActiveRecording rec = hostA.start("alice", "s1");
    for (int i = 0; i < 10; i++) {
      rec.write(SnapshotImages.gray(320, 240, 20 * i, "frame " + i));
      ticker.advanceMillis(200);
    }
    RecordingMetadata stopped = rec.stop();
    assertThat(stopped.status()).isIn(RecordingStatus.COMPLETED, RecordingStatus.UPLOAD_PENDING);
    assertThat(storageA.awaitUploads(Duration.ofSeconds(30))).isTrue();
    assertThat(Files.exists(dirA.resolve("recordings").resolve(stopped.filepath())))
        .as("host A's local copy removed after the confirmed upload").isFalse();

    assertThat(hostB.list("alice")).singleElement().satisfies(m -> {
      assertThat(m.recordingId()).isEqualTo(stopped.recordingId());
      assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(m.cloudStorageProvider()).isEqualTo("s3");
      assertThat(m.cloudStorageUrl()).isEqualTo("s3://" + BUCKET + "/" + stopped.filepath());
    });
    assertThat(hostB.list("bob")).isEmpty();

    byte[] viaB = read(hostB.openVideo("alice", stopped.recordingId(), ByteRange.all(stopped.fileSizeBytes())));
    assertThat(viaB).hasSize((int) stopped.fileSizeBytes());
    assertThat(sha256(viaB)).as("bytes equal to what host A recorded").isEqualTo(stopped.sha256());
    Path downloaded = downloads.resolve("b.mp4");
    Files.write(downloaded, viaB);
    VideoProbe probe = VideoProbe.of(downloaded);
    assertThat(probe.width()).isEqualTo(320);
    assertThat(probe.decodedFrames()).isEqualTo(stopped.frameCount()).isPositive();
    assertThat(hostB.presignedUrl("alice", stopped.recordingId(), Duration.ofMinutes(5))).isPresent();

    hostB.delete("alice", stopped.recordingId());

    assertThat(hostA.list("alice")).isEmpty();
    assertThat(hostA.get("alice", stopped.recordingId())).isEmpty();
    try (S3Client raw = server.client()) {
      assertThat(raw.listObjectsV2(r -> r.bucket(BUCKET)).contents()).isEmpty();
    }
  }
}
