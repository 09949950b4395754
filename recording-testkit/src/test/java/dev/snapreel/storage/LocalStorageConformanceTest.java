package dev.snapreel.storage;

import dev.snapreel.testkit.StorageBackendConformanceTest;
import java.nio.file.Path;

/**
 * {@link LocalStorage} runs the storage kit here rather than in recording-core's tests, which cannot
 * depend on the kit (the kit depends on core).
 */
class LocalStorageConformanceTest extends StorageBackendConformanceTest {
  @Override
  protected StorageBackend newStorage(Path scratch) {
    return LocalStorage.create(scratch.resolve("root"));
  }

  @Override
  protected String expectedProvider() {
    return "local";
  }

  @Override
  protected long partSize() {
    return 1024 * 1024; // no parts on disk: any size that is more than a buffer
  }

  @Override
  protected boolean offersPresignedUrls() {
    return false;
  }
}
