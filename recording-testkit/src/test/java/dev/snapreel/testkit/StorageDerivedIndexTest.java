package dev.snapreel.testkit;

import dev.snapreel.index.RecordingIndex;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.LocalStorage;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The default, storage-derived index over real local storage runs the index kit. */
class StorageDerivedIndexTest extends RecordingIndexConformanceTest {
  private @Nullable Path root;
  private @Nullable LocalStorage storage;

  @Override
  protected RecordingIndex newIndex(Path temp) {
    root = temp.resolve("recordings");
    storage = LocalStorage.create(root);
    return RecordingIndex.storageDerived(storage);
  }

  @Override
  protected RecordingIndex reopen() {
    return RecordingIndex.storageDerived(
        LocalStorage.create(java.util.Objects.requireNonNull(root, "root")));
  }

  @Override
  protected boolean cursorsSurviveReopen() {
    return false; // a random key per instance unless the host gives one
  }

  @Override
  protected void stored(RecordingMetadata m) {
    storage().putBytes(m.metadataKey(), MetadataJson.toBytes(m));
  }

  @Override
  protected void deleted(RecordingMetadata m) {
    storage().delete(m.metadataKey());
  }

  private LocalStorage storage() {
    index(); // created on first use
    if (storage == null) {
      throw new IllegalStateException("no storage");
    }
    return storage;
  }
}
