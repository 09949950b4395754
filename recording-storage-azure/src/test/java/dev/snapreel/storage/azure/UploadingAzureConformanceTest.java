package dev.snapreel.storage.azure;

import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.testkit.Azurite;
import dev.snapreel.testkit.StorageBackendConformanceTest;
import dev.snapreel.upload.Backoff;
import dev.snapreel.upload.UploadingStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The storage kit against the upload pipeline: local disk first, then Azurite in the background. */
class UploadingAzureConformanceTest extends StorageBackendConformanceTest {
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
    return UploadingStorage.builder()
        .local(LocalStorage.create(scratch.resolve("local")))
        .remote(AzureBlobStorage.builder()
            .connectionString(azurite.connectionString())
            .container("pipeline-" + containers.incrementAndGet())
            .blockSize(AzureBlobStorageConformanceTest.BLOCK)
            .createContainerIfMissing(true)
            .build())
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)))
        .removeLocalAfterUpload(true)
        .build();
  }

  @Override
  protected String expectedProvider() {
    return "azure";
  }

  @Override
  protected long partSize() {
    return AzureBlobStorageConformanceTest.BLOCK;
  }

  @Override
  protected boolean offersPresignedUrls() {
    return true;
  }
}
