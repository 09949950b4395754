package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.RecordingConflictException;
import dev.snapreel.RecordingNotFoundException;
import dev.snapreel.StorageException;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.StorageBackend;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queries over the recordings: the stored ones (through the {@link MetadataIndex}) merged with the
 * active ones, newest first; reading and deleting finished ones.
 */
public final class Catalog {
  private final StorageBackend storage;
  private final MetadataIndex index;
  private final ActiveRecordings<?> active;

  public Catalog(StorageBackend storage, MetadataIndex index, ActiveRecordings<?> active) {
    this.storage = requireNonNull(storage, "storage");
    this.index = requireNonNull(index, "index");
    this.active = requireNonNull(active, "active");
  }

  /** A recording of {@code ownerId}, active or stored; empty if unknown, malformed, or not theirs. */
  public Optional<RecordingMetadata> get(String ownerId, String recordingId) {
    if (!RecordingKeys.validIds(ownerId, recordingId)) {
      return Optional.empty();
    }
    ActiveRecordings.Member live = active.byId(recordingId);
    if (live != null) {
      RecordingMetadata m = live.liveMetadata();
      return m.ownerId().equals(ownerId) ? Optional.of(m) : Optional.empty();
    }
    Optional<RecordingMetadata> cached =
        index.cached(recordingId).filter(m -> m.ownerId().equals(ownerId));
    if (cached.isPresent()) {
      return cached;
    }
    return list(ownerId).stream().filter(m -> m.recordingId().equals(recordingId)).findFirst();
  }

  public List<RecordingMetadata> list(String ownerId) {
    if (!RecordingKeys.validIds(ownerId)) {
      return List.of();
    }
    return merged(RecordingKeys.ownerPrefix(ownerId));
  }

  public List<RecordingMetadata> list(String ownerId, String sessionId) {
    if (!RecordingKeys.validIds(ownerId, sessionId)) {
      return List.of();
    }
    return merged(RecordingKeys.sessionPrefix(ownerId, sessionId));
  }

  private List<RecordingMetadata> merged(String prefix) {
    Map<String, RecordingMetadata> byId = new LinkedHashMap<>();
    for (RecordingMetadata m : index.list(prefix)) {
      byId.put(m.recordingId(), m);
    }
    for (ActiveRecordings.Member e : active.all()) {
      RecordingMetadata m = e.liveMetadata();
      if (m.filepath().startsWith(prefix)) {
        byId.put(m.recordingId(), m);
      }
    }
    List<RecordingMetadata> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(RecordingMetadata::createdAt).reversed());
    return out;
  }

  /** Every stored recording's metadata. */
  public List<RecordingMetadata> stored() {
    return index.list("");
  }

  public InputStream openVideo(String ownerId, String recordingId, ByteRange range) {
    RecordingMetadata m = requireStored(ownerId, recordingId);
    try {
      return storage.open(m.filepath(), range);
    } catch (StorageException e) {
      // Only on failure: a stat on every download would cost S3 a second request.
      if (storage.stat(m.filepath()).isEmpty()) {
        throw new RecordingNotFoundException(
            "recording " + recordingId + " has no video (status " + m.status().wireName() + ")", e);
      }
      throw e;
    }
  }

  public Optional<URI> presignedUrl(String ownerId, String recordingId, Duration ttl) {
    RecordingMetadata m = requireStored(ownerId, recordingId);
    return storage.presignedGet(m.filepath(), ttl);
  }

  public RecordingMetadata delete(String ownerId, String recordingId) {
    RecordingMetadata m = requireStored(ownerId, recordingId);
    deleteStored(m);
    return m;
  }

  /** Deletes a stored recording's video and metadata. */
  public void deleteStored(RecordingMetadata m) {
    storage.delete(m.filepath());
    storage.delete(m.metadataKey());
    index.remove(m);
  }

  private RecordingMetadata requireStored(String ownerId, String recordingId) {
    RecordingMetadata m =
        get(ownerId, recordingId)
            .orElseThrow(() -> new RecordingNotFoundException("no recording " + recordingId));
    if (active.isActive(recordingId) || m.status().active()) {
      throw new RecordingConflictException("recording " + recordingId + " is still recording");
    }
    return m;
  }
}
