package dev.snapreel.storage.s3;

import dev.snapreel.storage.StorageBackend;
import dev.snapreel.testkit.StorageBackendConformanceTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage kit against a real S3 server (s3proxy over HTTP on loopback), each test under its own prefix. */
class S3StorageConformanceTest extends StorageBackendConformanceTest {
  static final String BUCKET = "kit";
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
    return server
        .storage(BUCKET)
        .prefix("t" + prefixes.incrementAndGet())
        .partSize(S3Storage.MIN_PART_SIZE)
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
