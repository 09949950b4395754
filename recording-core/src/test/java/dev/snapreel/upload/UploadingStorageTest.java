package dev.snapreel.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.StorageException;
import dev.snapreel.internal.MetadataUploads;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StoredObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload pipeline with a second directory as the "remote" and a switch that makes it fail like
 * an unreachable store (real files, no mocks). The S3 module runs the same scenarios against a real
 * S3 server.
 */
class UploadingStorageTest {
  private static final String VIDEO = "alice/s1/session_s1_20261125_101500_000.mp4";
  private static final String JSON = "alice/s1/session_s1_20261125_101500_000.json";
  private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100));

  @TempDir
  Path localRoot;

  @TempDir
  Path remoteRoot;

  @TempDir
  Path scratch;

  @Test
  void recordingStaysLocalAndPendingWhileTheRemoteFailsThenIsUploadedWithItsOwnStatusBack()
      throws Exception {
    Unreliable remote = new Unreliable(LocalStorage.create(remoteRoot));
    remote.down = true;
    try (UploadingStorage storage = pipeline(remote, true)) {
      byte[] video = store(storage, RecordingStatus.RECOVERED, "interrupted: recovered");

      RecordingMetadata pending =
          awaitLocal(m -> m.error() != null && m.error().startsWith("upload pending"));
      assertThat(pending.status()).isEqualTo(RecordingStatus.UPLOAD_PENDING);
      assertThat(Files.readAllBytes(localRoot.resolve(VIDEO))).isEqualTo(video);
      assertThat(storage.list("alice/"))
          .extracting(StoredObject::key)
          .containsExactlyInAnyOrder(VIDEO, JSON);
      assertThat(storage.presignedGet(VIDEO, Duration.ofMinutes(1))).isEmpty();

      remote.down = false;
      assertThat(storage.awaitUploads(Duration.ofSeconds(10))).isTrue();

      assertThat(Files.exists(localRoot.resolve(VIDEO))).isFalse();
      assertThat(Files.readAllBytes(remoteRoot.resolve(VIDEO))).isEqualTo(video);
      RecordingMetadata uploaded =
          MetadataJson.fromBytes(Files.readAllBytes(remoteRoot.resolve(JSON)));
      assertThat(uploaded.status())
          .as("its own status, not 'completed'")
          .isEqualTo(RecordingStatus.RECOVERED);
      assertThat(uploaded.error()).isEqualTo("interrupted: recovered");
      assertThat(uploaded.cloudStorageProvider()).isEqualTo("local");
      try (InputStream in = storage.open(VIDEO, new ByteRange(2, 3))) {
        assertThat(in.readAllBytes())
            .as("read from the remote now")
            .containsExactly(video[2], video[3], video[4]);
      }
    }
  }

  @Test
  void aCorruptedRemoteCopyIsNeverConfirmedAndTheLocalCopyStays() throws Exception {
    Unreliable remote = new Unreliable(LocalStorage.create(remoteRoot));
    remote.corrupt = true;
    try (UploadingStorage storage = pipeline(remote, true)) {
      store(storage, RecordingStatus.COMPLETED, null);

      RecordingMetadata pending = awaitLocal(m -> m.error() != null);
      assertThat(pending.error()).contains("not confirmed");
      assertThat(Files.exists(localRoot.resolve(VIDEO))).isTrue();

      remote.corrupt = false;
      assertThat(storage.awaitUploads(Duration.ofSeconds(10))).isTrue();
      assertThat(Files.exists(localRoot.resolve(VIDEO))).isFalse();
    }
  }

  @Test
  void keepsTheLocalCopyUnlessConfiguredAndResumesAfterRestart() throws Exception {
    Unreliable remote = new Unreliable(LocalStorage.create(remoteRoot));
    remote.down = true;
    try (UploadingStorage storage = pipeline(remote, false)) {
      store(storage, RecordingStatus.COMPLETED, null);
      awaitLocal(m -> m.error() != null);
    }
    remote.down = false;
    try (UploadingStorage restarted = pipeline(remote, false)) {
      assertThat(restarted.awaitUploads(Duration.ofSeconds(10))).isTrue();
      assertThat(Files.exists(localRoot.resolve(VIDEO))).as("kept").isTrue();
      assertThat(Files.exists(remoteRoot.resolve(VIDEO))).isTrue();
      RecordingMetadata local = MetadataJson.fromBytes(Files.readAllBytes(localRoot.resolve(JSON)));
      assertThat(local.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(local.error()).isNull();
    }
  }

  @Test
  void deleteActsOnBothSides() throws Exception {
    Unreliable remote = new Unreliable(LocalStorage.create(remoteRoot));
    try (UploadingStorage storage = pipeline(remote, false)) {
      store(storage, RecordingStatus.COMPLETED, null);
      assertThat(storage.awaitUploads(Duration.ofSeconds(10))).isTrue();

      assertThat(storage.delete(VIDEO)).isTrue();
      assertThat(storage.delete(JSON)).isTrue();

      assertThat(storage.list("")).isEmpty();
      assertThat(remote.list("")).isEmpty();
      assertThat(LocalStorage.create(localRoot).list("")).isEmpty();
    }
  }

  @Test
  void inProgressMetadataIsNotPublished() throws Exception {
    Unreliable remote = new Unreliable(LocalStorage.create(remoteRoot));
    try (UploadingStorage storage = pipeline(remote, true)) {
      storage.putBytes(
          JSON, MetadataJson.toBytes(metadata(RecordingStatus.RECORDING, null, 0, null)));
      assertThat(storage.awaitUploads(Duration.ofSeconds(10))).isTrue();
      assertThat(remote.list("")).isEmpty();
      assertThat(storage.getBytes(JSON)).isPresent();
    }
  }

  @Test
  void backoffGrowsExponentiallyWithJitterUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(30)).isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The pipeline with the recording service's listener attached, as the service attaches it. */
  private UploadingStorage pipeline(StorageBackend remote, boolean removeLocal) {
    UploadingStorage storage = UploadingStorage.builder()
        .local(LocalStorage.create(localRoot))
        .remote(remote)
        .backoff(FAST)
        .removeLocalAfterUpload(removeLocal)
        .build();
    MetadataUploads.attachTo(storage);
    return storage;
  }

  private byte[] store(UploadingStorage storage, RecordingStatus status, String error)
      throws Exception {
    byte[] video = "not really an mp4, but bytes to carry".getBytes(StandardCharsets.UTF_8);
    Path file = scratch.resolve("final.mp4");
    Files.write(file, video);
    storage.moveIn(VIDEO, file);
    // As the service stores it: pending until the upload is confirmed.
    storage.putBytes(
        JSON,
        MetadataJson.toBytes(MetadataUploads.pending(metadata(status, error, video.length, null))));
    return video;
  }

  private static RecordingMetadata metadata(
      RecordingStatus status, String error, long size, String sha) {
    return RecordingMetadata.builder()
        .identity("r-1", "alice", "s1", "session_s1_20261125_101500_000.mp4", VIDEO)
        .status(status)
        .format("h264", 30, 320, 240)
        .durationSeconds(1)
        .frameCount(30)
        .fileSizeBytes(size)
        .sha256(sha)
        .createdAt(Instant.now())
        .startedAt(Instant.now())
        .endedAt(Instant.now())
        .counters(5, 0, 25, 0)
        .error(error)
        .build();
  }

  private RecordingMetadata awaitLocal(java.util.function.Predicate<RecordingMetadata> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      RecordingMetadata m = MetadataJson.fromBytes(Files.readAllBytes(localRoot.resolve(JSON)));
      if (condition.test(m)) {
        return m;
      }
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** A real directory that can be switched to fail like an unreachable store, or to store wrong bytes. */
  private static final class Unreliable implements StorageBackend {
    private final LocalStorage delegate;
    volatile boolean down;
    volatile boolean corrupt;

    Unreliable(LocalStorage delegate) {
      this.delegate = delegate;
    }

    private void check() {
      if (down) {
        throw new StorageException("remote unreachable (switched off by the test)");
      }
    }

    @Override
    public String provider() {
      return delegate.provider();
    }

    @Override
    public void put(String key, Path source) {
      check();
      delegate.put(key, source);
      if (corrupt) {
        try {
          byte[] bytes = Files.readAllBytes(delegate.resolve(key));
          bytes[0] ^= 1;
          Files.write(delegate.resolve(key), bytes);
        } catch (java.io.IOException e) {
          throw new StorageException("test corruption failed", e);
        }
      }
    }

    @Override
    public void putBytes(String key, byte[] content) {
      check();
      delegate.putBytes(key, content);
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
      check();
      return delegate.getBytes(key);
    }

    @Override
    public Optional<StoredObject> stat(String key) {
      check();
      return delegate.stat(key);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
      check();
      return delegate.open(key, range);
    }

    @Override
    public List<StoredObject> list(String prefix) {
      check();
      return delegate.list(prefix);
    }

    @Override
    public boolean delete(String key) {
      check();
      return delegate.delete(key);
    }
  }
}
