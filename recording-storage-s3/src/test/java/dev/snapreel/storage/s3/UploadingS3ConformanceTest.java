package dev.snapreel.storage.s3;

import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.testkit.StorageBackendConformanceTest;
import dev.snapreel.upload.Backoff;
import dev.snapreel.upload.UploadingStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage kit against the upload pipeline: local disk first, then s3proxy in the background. */
class UploadingS3ConformanceTest extends StorageBackendConformanceTest {
  static final String BUCKET = "kit-pipeline";
  private static final AtomicInteger prefixes = new AtomicInteger();
  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected StorageBackend newStorage(Path scratch) {
    return UploadingStorage.builder()
        .local(LocalStorage.create(scratch.resolve("local")))
        .remote(server
            .storage(BUCKET)
            .prefix("t" + prefixes.incrementAndGet())
            .partSize(S3Storage.MIN_PART_SIZE)
            .build())
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)))
        .removeLocalAfterUpload(true)
        .build();
  }

  @Override
  protected String expectedProvider() {
    return "s3";
  }

  @Override
  protected long partSize() {
    return S3Storage.MIN_PART_SIZE;
  }

  @Override
  protected boolean offersPresignedUrls() {
    return true;
  }
}
