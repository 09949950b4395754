package dev.snapreel.storage.azure;

import dev.snapreel.storage.StorageBackend;
import dev.snapreel.testkit.Azurite;
import dev.snapreel.testkit.StorageBackendConformanceTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The storage kit against a real Azure Blob service (Azurite over HTTP on loopback). */
class AzureBlobStorageConformanceTest extends StorageBackendConformanceTest {
  static final long BLOCK = 256 * 1024;
  private static final AtomicInteger containers = new AtomicInteger();

  @TempDir
  static Path azuriteData;

  private static Azurite azurite;

  @BeforeAll
  static void startAzurite() {
    azurite = Azurite.start(azuriteData);
  }

  @AfterAll
  static void stopAzurite() {
    azurite.close();
  }

  @Override
  protected StorageBackend newStorage(Path scratch) {
    return AzureBlobStorage.builder()
        .connectionString(azurite.connectionString())
        .container("kit-" + containers.incrementAndGet())
        .prefix("recordings")
        .blockSize(BLOCK)
        .createContainerIfMissing(true)
        .build();
  }

  @Override
  protected String expectedProvider() {
    return "azure";
  }

  @Override
  protected long partSize() {
    return BLOCK;
  }

  @Override
  protected boolean offersPresignedUrls() {
    return true;
  }
}
