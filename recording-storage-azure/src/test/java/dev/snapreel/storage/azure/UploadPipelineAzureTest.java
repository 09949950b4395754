package dev.snapreel.storage.azure;

import static dev.snapreel.storage.azure.AzureBlobStorageTest.random;
import static dev.snapreel.storage.azure.AzureBlobStorageTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlockListType;
import dev.snapreel.internal.MetadataUploads;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StoredObject;
import dev.snapreel.testkit.Azurite;
import dev.snapreel.upload.Backoff;
import dev.snapreel.upload.UploadingStorage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload pipeline against an Azurite that goes away in the middle of an upload and comes back:
 * the recording stays local, listed and readable, marked pending; once the service is back it is
 * uploaded, confirmed, and only then removed locally.
 */
class UploadPipelineAzureTest {
  private static final String CONTAINER = "pipeline";
  private static final String VIDEO = "alice/s1/session_s1_20261201_101500_000.mp4";
  private static final String JSON = "alice/s1/session_s1_20261201_101500_000.json";
  private static final long BLOCK = AzureBlobStorage.MIN_BLOCK_SIZE;

  @TempDir
  Path azuriteData;

  @TempDir
  Path localRoot;

  @TempDir
  Path scratch;

  private Azurite azurite;

  @BeforeEach
  void startAzurite() {
    azurite = Azurite.start(azuriteData);
  }

  @AfterEach
  void stopAzurite() {
    azurite.close();
  }

  /** The pipeline with the recording service's metadata listener attached, as the service attaches it. */
  private UploadingStorage pipeline() {
    UploadingStorage storage = UploadingStorage.builder()
        .local(LocalStorage.create(localRoot))
        .remote(AzureBlobStorage.builder()
            .connectionString(azurite.connectionString())
            .container(CONTAINER)
            .blockSize(BLOCK)
            .maxTries(1)
            .tryTimeout(Duration.ofSeconds(5))
            .createContainerIfMissing(true)
            .build())
        .backoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)))
        .removeLocalAfterUpload(true)
        .build();
    MetadataUploads.attachTo(storage);
    return storage;
  }

  private BlobContainerClient raw() {
    return new BlobServiceClientBuilder()
        .connectionString(azurite.connectionString())
        .buildClient()
        .getBlobContainerClient(CONTAINER);
  }

  @Test
  void azuriteStoppedMidUploadKeepsTheRecordingLocalAndPendingUntilItIsBack() throws Exception {
    // 48 MiB in 64 KiB blocks: ~770 Put Block requests, so the upload is surely under way when
    // the first blocks show up and far from done.
    byte[] video = random(48 * 1024 * 1024, 21);
    try (UploadingStorage storage = pipeline()) {
      azurite.awaitSaved(CONTAINER, Duration.ofSeconds(30));
      store(storage, video);
      var blocks = raw().getBlobClient(VIDEO).getBlockBlobClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (uncommitted(blocks) < 3) {
        assertThat(System.nanoTime()).as("blocks staged within 30 s").isLessThan(deadline);
        Thread.sleep(5);
      }
      azurite.stop();

      RecordingMetadata pending = awaitLocalMetadata(m -> m.error() != null);
      assertThat(pending.status()).isEqualTo(RecordingStatus.UPLOAD_PENDING);
      assertThat(pending.error()).startsWith("upload pending: attempt");
      assertThat(pending.cloudStorageUrl()).isNull();
      assertThat(Files.size(localRoot.resolve(VIDEO)))
          .as("local copy kept")
          .isEqualTo(video.length);
      assertThat(storage.pendingUploads()).containsExactly(JSON);
      assertThat(storage.list("alice/"))
          .as("listed from local while the store is down")
          .extracting(StoredObject::key)
          .contains(VIDEO, JSON);
      try (InputStream in = storage.open(VIDEO, new ByteRange(1000, 100))) {
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(video, 1000, 1100));
      }
      assertThat(storage.awaitUploads(Duration.ofSeconds(2)))
          .as("still pending while down")
          .isFalse();

      azurite.restart();
      assertThat(raw().exists()).as("the container survived the outage").isTrue();
      assertThat(storage.awaitUploads(Duration.ofSeconds(120)))
          .as("uploaded once back")
          .isTrue();

      assertThat(Files.exists(localRoot.resolve(VIDEO)))
          .as("local copy removed after confirmation")
          .isFalse();
      assertThat(Files.exists(localRoot.resolve(JSON))).isFalse();
      assertThat(sha256(raw().getBlobClient(VIDEO).downloadContent().toBytes()))
          .isEqualTo(sha256(video));
      assertThat(uncommitted(blocks))
          .as("the cut-off upload's blocks were dropped at commit")
          .isZero();
      RecordingMetadata done = MetadataJson.fromBytes(storage.getBytes(JSON).orElseThrow());
      assertThat(done.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(done.error()).isNull();
      assertThat(done.cloudStorageProvider()).isEqualTo("azure");
      assertThat(done.cloudStorageUrl())
          .isEqualTo(azurite.blobEndpoint() + "/" + CONTAINER + "/" + VIDEO);
      assertThat(storage.presignedGet(VIDEO, Duration.ofMinutes(1)))
          .as("redirectable once uploaded")
          .isPresent();
    }
  }

  @Test
  void pendingUploadsResumeAfterAProcessRestart() throws Exception {
    byte[] video = random(300_000, 22);
    try (UploadingStorage first = pipeline()) {
      azurite.awaitSaved(CONTAINER, Duration.ofSeconds(30));
      azurite.stop();
      store(first, video);
      awaitLocalMetadata(m -> m.error() != null);
    } // the process ends with the upload still pending

    azurite.restart();
    try (UploadingStorage second = pipeline()) {
      assertThat(second.awaitUploads(Duration.ofSeconds(60))).isTrue();
      assertThat(Files.exists(localRoot.resolve(VIDEO))).isFalse();
      assertThat(sha256(raw().getBlobClient(VIDEO).downloadContent().toBytes()))
          .isEqualTo(sha256(video));
      assertThat(
              MetadataJson.fromBytes(raw().getBlobClient(JSON).downloadContent().toBytes())
                  .status())
          .isEqualTo(RecordingStatus.COMPLETED);
    }
  }

  private static int uncommitted(com.azure.storage.blob.specialized.BlockBlobClient blob) {
    try {
      return blob.listBlocks(BlockListType.UNCOMMITTED).getUncommittedBlocks().size();
    } catch (com.azure.storage.blob.models.BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return 0; // nothing staged yet
      }
      throw e;
    }
  }

  /** Stores a video and its final metadata the way RecordingService does. */
  private void store(UploadingStorage storage, byte[] video) throws Exception {
    Path file = Files.write(scratch.resolve("final.mp4"), video);
    RecordingMetadata m = RecordingMetadata.builder()
        .identity("r-1", "alice", "s1", "session_s1_20261201_101500_000.mp4", VIDEO)
        .status(RecordingStatus.COMPLETED)
        .format("h264", 30, 320, 240)
        .durationSeconds(1)
        .frameCount(30)
        .fileSizeBytes(video.length)
        .sha256(sha256(video))
        .createdAt(Instant.now())
        .startedAt(Instant.now())
        .endedAt(Instant.now())
        .counters(5, 0, 25, 0)
        .build();
    storage.moveIn(VIDEO, file);
    storage.putBytes(JSON, MetadataJson.toBytes(MetadataUploads.pending(m)));
  }

  private RecordingMetadata awaitLocalMetadata(Predicate<RecordingMetadata> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      RecordingMetadata m = MetadataJson.fromBytes(Files.readAllBytes(localRoot.resolve(JSON)));
      if (condition.test(m)) {
        return m;
      }
      assertThat(System.nanoTime()).as("metadata condition within 60 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
