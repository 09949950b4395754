package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StoredObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-through cache of the metadata JSON files in storage. Listing asks the storage every time (one
 * list call per prefix) and re-reads only files whose size or modification time changed, so the
 * storage stays the source of truth: recordings written or deleted by another host sharing it show
 * up on the next list.
 */
public final class MetadataIndex {
  private static final Logger log = LoggerFactory.getLogger(MetadataIndex.class);

  private record Cached(long size, long modifiedMillis, RecordingMetadata metadata) {}

  private final StorageBackend storage;
  private final Map<String, Cached> byKey = new ConcurrentHashMap<>();
  private final Map<String, String> keyById = new ConcurrentHashMap<>();

  public MetadataIndex(StorageBackend storage) {
    this.storage = requireNonNull(storage, "storage");
  }

  /** All metadata under a key prefix ({@code ""}, {@code owner/}, {@code owner/session/}). */
  public List<RecordingMetadata> list(String prefix) {
    List<StoredObject> objects = storage.list(prefix);
    Set<String> seen = new HashSet<>();
    List<RecordingMetadata> out = new ArrayList<>();
    for (StoredObject object : objects) {
      if (!object.key().endsWith(".json")) {
        continue;
      }
      seen.add(object.key());
      Cached cached = byKey.get(object.key());
      long modified = object.lastModified().toEpochMilli();
      if (cached == null || cached.size() != object.size() || cached.modifiedMillis() != modified) {
        Optional<byte[]> bytes = storage.getBytes(object.key());
        if (bytes.isEmpty()) {
          continue; // deleted since listed
        }
        try {
          RecordingMetadata metadata = MetadataJson.fromBytes(bytes.get());
          cached = new Cached(object.size(), modified, metadata);
          byKey.put(object.key(), cached);
          keyById.put(metadata.recordingId(), object.key());
        } catch (RuntimeException e) {
          log.warn("skipping unreadable metadata {}: {}", object.key(), e.getMessage());
          continue;
        }
      }
      out.add(cached.metadata());
    }
    byKey.keySet().removeIf(key -> key.startsWith(prefix) && !seen.contains(key));
    keyById.values().removeIf(key -> key.startsWith(prefix) && !seen.contains(key));
    return out;
  }

  /** The metadata of {@code recordingId} as last seen, if indexed. */
  public Optional<RecordingMetadata> cached(String recordingId) {
    String key = keyById.get(recordingId);
    Cached cached = key == null ? null : byKey.get(key);
    return cached == null ? Optional.empty() : Optional.of(cached.metadata());
  }

  /** Records metadata this host just wrote (its stat is refreshed on the next list). */
  public void put(RecordingMetadata metadata) {
    byKey.put(metadata.metadataKey(), new Cached(-1, -1, metadata));
    keyById.put(metadata.recordingId(), metadata.metadataKey());
  }

  public void remove(RecordingMetadata metadata) {
    byKey.remove(metadata.metadataKey());
    keyById.remove(metadata.recordingId());
  }
}
