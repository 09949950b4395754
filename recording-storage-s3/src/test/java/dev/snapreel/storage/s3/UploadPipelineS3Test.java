package dev.snapreel.storage.s3;

import static dev.snapreel.storage.s3.S3StorageTest.randomBytes;
import static dev.snapreel.storage.s3.S3StorageTest.read;
import static dev.snapreel.storage.s3.S3StorageTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.internal.MetadataUploads;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StoredObject;
import dev.snapreel.upload.Backoff;
import dev.snapreel.upload.UploadingStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The upload pipeline against a real S3 server that goes away and comes back: nothing is deleted
 * locally before a confirmed copy exists, and pending uploads finish once the server is back, also
 * after a restart.
 */
class UploadPipelineS3Test {
  private static final String BUCKET = "pipeline";
  private static final String VIDEO = "alice/s1/session_s1_20261125_101500_000.mp4";
  private static final String JSON = "alice/s1/session_s1_20261125_101500_000.json";
  private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400));

  private S3ProxyServer server;

  @TempDir
  Path localRoot;

  @TempDir
  Path scratch;

  @BeforeEach
  void startServer() throws Exception {
    server = S3ProxyServer.start(BUCKET);
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  /** The S3 store of the last {@link #pipeline}. */
  private S3Storage s3;

  /** The pipeline with the recording service's listener attached, as the service attaches it. */
  private UploadingStorage pipeline(boolean removeLocal) {
    s3 = server.storage(BUCKET).partSize(S3Storage.MIN_PART_SIZE).build();
    UploadingStorage storage = UploadingStorage.builder()
        .local(LocalStorage.create(localRoot))
        .remote(s3)
        .backoff(FAST)
        .removeLocalAfterUpload(removeLocal)
        .build();
    MetadataUploads.attachTo(storage);
    return storage;
  }

  @Test
  void finishedRecordingIsUploadedConfirmedAndThenRemovedLocally() throws Exception {
    byte[] video = randomBytes((int) (2.2 * S3Storage.MIN_PART_SIZE), 7);
    try (UploadingStorage storage = pipeline(true)) {
      store(storage, video);

      assertThat(storage.awaitUploads(Duration.ofSeconds(30))).isTrue();

      assertThat(Files.exists(localRoot.resolve(VIDEO)))
          .as("local video removed")
          .isFalse();
      assertThat(Files.exists(localRoot.resolve(JSON)))
          .as("local metadata removed")
          .isFalse();
      RecordingMetadata uploaded = MetadataJson.fromBytes(storage.getBytes(JSON).orElseThrow());
      assertThat(uploaded.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(uploaded.cloudStorageProvider()).isEqualTo("s3");
      assertThat(uploaded.cloudStorageUrl()).isEqualTo("s3://" + BUCKET + "/" + VIDEO);
      assertThat(sha256(read(storage.open(VIDEO, ByteRange.all(video.length)))))
          .isEqualTo(sha256(video));
      assertThat(storage.presignedGet(VIDEO, Duration.ofMinutes(1)))
          .as("redirectable once uploaded")
          .isPresent();
    }
  }

  @Test
  void aStoreThatCorruptsWhatItAcceptedNeverConfirmsTheUploadAndTheLocalCopyStays()
      throws Exception {
    for (double parts : new double[] {0.5, 2.2}) { // one PUT, then a multipart upload
      byte[] video = randomBytes((int) (parts * S3Storage.MIN_PART_SIZE), 11);
      S3Storage real = server.storage(BUCKET).partSize(S3Storage.MIN_PART_SIZE).build();
      Corrupting remote = new Corrupting(real, server);
      try (UploadingStorage storage = UploadingStorage.builder()
          .local(LocalStorage.create(localRoot))
          .remote(remote)
          .backoff(FAST)
          .removeLocalAfterUpload(true)
          .build()) {
        MetadataUploads.attachTo(storage);
        store(storage, video);

        assertThat(storage.awaitUploads(Duration.ofSeconds(3)))
            .as("never confirmed")
            .isFalse();
        assertThat(remote.corrupted.get()).as("the store did corrupt it").isPositive();
        assertThat(Files.readAllBytes(localRoot.resolve(VIDEO)))
            .as("local copy kept")
            .isEqualTo(video);
        assertThat(localMetadata().status()).isEqualTo(RecordingStatus.UPLOAD_PENDING);
      }
      Files.walk(localRoot)
          .sorted(java.util.Comparator.reverseOrder())
          .filter(p -> !p.equals(localRoot))
          .forEach(p -> p.toFile().delete());
    }
  }

  /**
   * S3 that, after accepting a video, silently flips a byte of it while keeping the uploader's own
   * sha256 user metadata: what a confirmation by that metadata cannot see.
   */
  private static final class Corrupting
      implements dev.snapreel.storage.StorageBackend, dev.snapreel.upload.RemoteChecksums {
    final S3Storage delegate;
    final S3ProxyServer server;
    final java.util.concurrent.atomic.AtomicInteger corrupted =
        new java.util.concurrent.atomic.AtomicInteger();

    Corrupting(S3Storage delegate, S3ProxyServer server) {
      this.delegate = delegate;
      this.server = server;
    }

    @Override
    public String provider() {
      return delegate.provider();
    }

    @Override
    public void put(String key, Path source) {
      delegate.put(key, source);
      if (key.endsWith(".mp4")) {
        try (software.amazon.awssdk.services.s3.S3Client raw = server.client()) {
          byte[] bytes = Files.readAllBytes(source);
          String userSha =
              raw.headObject(r -> r.bucket(BUCKET).key(key)).metadata().get("sha256");
          bytes[bytes.length / 2] ^= 1;
          raw.putObject(
              r -> r.bucket(BUCKET)
                  .key(key)
                  .metadata(java.util.Map.of("sha256", String.valueOf(userSha))),
              software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
          corrupted.incrementAndGet();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }

    @Override
    public void putBytes(String key, byte[] content) {
      delegate.putBytes(key, content);
    }

    @Override
    public java.util.Optional<byte[]> getBytes(String key) {
      return delegate.getBytes(key);
    }

    @Override
    public java.util.Optional<dev.snapreel.storage.StoredObject> stat(String key) {
      return delegate.stat(key);
    }

    @Override
    public java.io.InputStream open(String key, ByteRange range) {
      return delegate.open(key, range);
    }

    @Override
    public java.util.List<dev.snapreel.storage.StoredObject> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public boolean delete(String key) {
      return delegate.delete(key);
    }

    @Override
    public java.util.Optional<String> sha256(String key) {
      return delegate.sha256(key);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @Test
  void serverDownDuringUploadKeepsTheRecordingLocalAndPendingUntilItIsBack() throws Exception {
    byte[] video = randomBytes((int) (4.5 * S3Storage.MIN_PART_SIZE), 8);
    try (UploadingStorage storage = pipeline(true);
        S3Client raw = server.client()) {
      store(storage, video);
      // Take the server down once the multipart upload is under way.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (raw.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().isEmpty()) {
        assertThat(System.nanoTime()).as("multipart upload started").isLessThan(deadline);
        Thread.sleep(5);
      }
      server.stop();

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
      assertThat(read(storage.open(VIDEO, new ByteRange(0, 100))))
          .isEqualTo(java.util.Arrays.copyOf(video, 100));

      server.start();
      assertThat(storage.awaitUploads(Duration.ofSeconds(60))).isTrue();

      assertThat(Files.exists(localRoot.resolve(VIDEO))).isFalse();
      try (var in = raw.getObject(r -> r.bucket(BUCKET).key(VIDEO))) {
        assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(video));
      }
      RecordingMetadata done = MetadataJson.fromBytes(storage.getBytes(JSON).orElseThrow());
      assertThat(done.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(done.error()).isNull();
      assertThat(done.cloudStorageProvider()).isEqualTo("s3");
      // The upload cut off by the outage could not be aborted then; the clean-up removes it.
      assertThat(s3.abortIncompleteUploads(Duration.ZERO)).isEqualTo(1);
      assertThat(raw.listMultipartUploads(r -> r.bucket(BUCKET)).uploads()).isEmpty();
    }
  }

  @Test
  void pendingUploadsResumeAfterARestart() throws Exception {
    byte[] video = randomBytes(300_000, 9);
    server.stop();
    try (UploadingStorage first = pipeline(false)) {
      store(first, video);
      awaitLocalMetadata(m -> m.error() != null);
    } // process ends with the upload still pending

    server.start();
    try (UploadingStorage second = pipeline(false)) {
      assertThat(second.pendingUploads()).as("found again at start").contains(JSON);
      assertThat(second.awaitUploads(Duration.ofSeconds(30))).isTrue();

      assertThat(Files.size(localRoot.resolve(VIDEO)))
          .as("kept: removal not configured")
          .isEqualTo(video.length);
      RecordingMetadata local = localMetadata();
      assertThat(local.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(local.cloudStorageProvider()).isEqualTo("s3");
      try (S3Client raw = server.client();
          var in = raw.getObject(r -> r.bucket(BUCKET).key(VIDEO))) {
        assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(video));
      }
    }
  }

  @Test
  void aFreshHostRebuildsItsViewFromTheBucket() throws Exception {
    byte[] video = randomBytes(50_000, 10);
    try (UploadingStorage first = pipeline(true)) {
      store(first, video);
      assertThat(first.awaitUploads(Duration.ofSeconds(30))).isTrue();
    }
    try (UploadingStorage empty = UploadingStorage.builder()
        .local(LocalStorage.create(scratch))
        .remote(server.storage(BUCKET).build())
        .build()) {
      assertThat(empty.list("alice/"))
          .extracting(StoredObject::key)
          .containsExactlyInAnyOrder(VIDEO, JSON);
      assertThat(read(empty.open(VIDEO, ByteRange.all(video.length)))).isEqualTo(video);
    }
  }

  /** Stores a video and its final metadata the way RecordingService does. */
  private void store(UploadingStorage storage, byte[] video) throws Exception {
    Path file = scratch.resolve("final.mp4");
    Files.write(file, video);
    RecordingMetadata m = RecordingMetadata.builder()
        .identity("r-1", "alice", "s1", "session_s1_20261125_101500_000.mp4", VIDEO)
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

  private RecordingMetadata localMetadata() throws Exception {
    return MetadataJson.fromBytes(Files.readAllBytes(localRoot.resolve(JSON)));
  }

  private RecordingMetadata awaitLocalMetadata(
      java.util.function.Predicate<RecordingMetadata> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      RecordingMetadata m = localMetadata();
      if (condition.test(m)) {
        return m;
      }
      assertThat(System.nanoTime()).as("metadata condition within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
