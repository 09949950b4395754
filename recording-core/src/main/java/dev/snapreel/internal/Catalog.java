package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.RecordingConflictException;
import dev.snapreel.RecordingNotFoundException;
import dev.snapreel.StorageException;
import dev.snapreel.index.IndexOrder;
import dev.snapreel.index.OwnerUsage;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.RecordingQuery;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.StorageBackend;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Queries over the recordings: the {@link RecordingIndex} with the active recordings' live metadata
 * laid over it, newest first; reading and deleting finished ones. Nothing here lists the storage.
 */
public final class Catalog {
  private final StorageBackend storage;
  private final RecordingIndex index;
  private final ActiveRecordings<?> active;
  private final Supplier<Collection<RecordingMetadata>> finalizing;

  public Catalog(StorageBackend storage, RecordingIndex index, ActiveRecordings<?> active) {
    this(storage, index, active, List::of);
  }

  /**
   * @param finalizing recordings whose storing is being retried: listed as they are ({@code
   *     finalizing}), not as whatever the index said before
   */
  public Catalog(
      StorageBackend storage,
      RecordingIndex index,
      ActiveRecordings<?> active,
      Supplier<Collection<RecordingMetadata>> finalizing) {
    this.storage = requireNonNull(storage, "storage");
    this.index = requireNonNull(index, "index");
    this.active = requireNonNull(active, "active");
    this.finalizing = requireNonNull(finalizing, "finalizing");
  }

  private Optional<RecordingMetadata> finalizing(String recordingId) {
    return finalizing.get().stream()
        .filter(m -> m.recordingId().equals(recordingId))
        .findFirst();
  }

  /**
   * Whether {@code m} is {@code ownerId}'s by every account: its {@code owner_id} and its storage
   * key, compared exactly. A key prefix alone is not enough: a case-insensitive file system lists
   * {@code Alice/} for {@code alice/}, and a metadata file can claim another owner than its path.
   */
  static boolean owns(String ownerId, RecordingMetadata m) {
    return m.ownerId().equals(ownerId)
        && m.filepath().startsWith(RecordingKeys.ownerPrefix(ownerId));
  }

  /** A recording of {@code ownerId}, active or stored; empty if unknown, malformed, or not theirs. */
  public Optional<RecordingMetadata> get(String ownerId, String recordingId) {
    if (!RecordingKeys.validIds(ownerId, recordingId)) {
      return Optional.empty();
    }
    ActiveRecordings.Member live = active.byId(recordingId);
    if (live != null) {
      RecordingMetadata m = live.liveMetadata();
      return owns(ownerId, m) ? Optional.of(m) : Optional.empty();
    }
    Optional<RecordingMetadata> retrying = finalizing(recordingId);
    if (retrying.isPresent()) {
      return retrying.filter(m -> owns(ownerId, m));
    }
    return index
        .get(ownerId, recordingId)
        .filter(m -> owns(ownerId, m) && m.recordingId().equals(recordingId));
  }

  /** Every recording of an owner, newest first (all pages). */
  public List<RecordingMetadata> list(String ownerId) {
    if (!RecordingKeys.validIds(ownerId)) {
      return List.of();
    }
    return all(p -> page(ownerId, p));
  }

  public List<RecordingMetadata> list(String ownerId, String sessionId) {
    if (!RecordingKeys.validIds(ownerId, sessionId)) {
      return List.of();
    }
    return all(p -> page(ownerId, sessionId, p));
  }

  private static List<RecordingMetadata> all(Function<PageRequest, RecordingPage> listing) {
    List<RecordingMetadata> out = new ArrayList<>();
    String cursor = null;
    do {
      RecordingPage p = listing.apply(PageRequest.after(PageRequest.MAX_LIMIT, cursor));
      out.addAll(p.recordings());
      cursor = p.nextCursor();
    } while (cursor != null);
    return out;
  }

  /** A page of an owner's recordings, newest first; active ones show their live metadata. */
  public RecordingPage page(String ownerId, PageRequest page) {
    if (!RecordingKeys.validIds(ownerId)) {
      return RecordingPage.empty();
    }
    return live(ownerId, null, page, index.list(ownerId, page));
  }

  public RecordingPage page(String ownerId, String sessionId, PageRequest page) {
    if (!RecordingKeys.validIds(ownerId, sessionId)) {
      return RecordingPage.empty();
    }
    return live(ownerId, sessionId, page, index.list(ownerId, sessionId, page));
  }

  /**
   * Active and finalizing recordings show as they are now; nothing another owner's is shown. The
   * first page also shows this host's active and finalizing recordings the index does not have yet
   * (their first index write may still be on its way, or the index may be down): they are the
   * newest, so that is where they belong.
   */
  private RecordingPage live(
      String ownerId, @Nullable String sessionId, PageRequest request, RecordingPage page) {
    List<RecordingMetadata> out = new ArrayList<>(page.recordings().size());
    Set<String> shown = new HashSet<>();
    for (RecordingMetadata m : page.recordings()) {
      ActiveRecordings.Member live = active.byId(m.recordingId());
      RecordingMetadata now =
          live != null ? live.liveMetadata() : finalizing(m.recordingId()).orElse(m);
      if (owns(ownerId, now)) {
        out.add(now);
        shown.add(now.recordingId());
      }
    }
    if (request.cursor() == null) {
      List<RecordingMetadata> unindexed = new ArrayList<>(finalizing.get());
      for (ActiveRecordings.Member e : active.all()) {
        unindexed.add(e.liveMetadata());
      }
      boolean added = false;
      for (RecordingMetadata m : unindexed) {
        if (owns(ownerId, m)
            && (sessionId == null || m.sessionId().equals(sessionId))
            && shown.add(m.recordingId())) {
          out.add(m);
          added = true;
        }
      }
      if (added) {
        out.sort(IndexOrder.NEWEST_FIRST);
      }
    }
    return new RecordingPage(out, page.nextCursor());
  }

  /** How many recordings an owner keeps and their bytes. */
  public OwnerUsage usage(String ownerId) {
    return RecordingKeys.validIds(ownerId) ? index.usage(ownerId) : OwnerUsage.NONE;
  }

  /** A page of the recordings matching {@code query}, oldest first. */
  public RecordingPage find(RecordingQuery query, PageRequest page) {
    return index.find(query, page);
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

  /** Deletes a stored recording's video and metadata, then its index entry. */
  public void deleteStored(RecordingMetadata m) {
    storage.delete(m.filepath());
    storage.delete(m.metadataKey());
    index.remove(m.ownerId(), m.recordingId());
  }

  private RecordingMetadata requireStored(String ownerId, String recordingId) {
    RecordingMetadata m = get(ownerId, recordingId)
        .orElseThrow(() -> new RecordingNotFoundException("no recording " + recordingId));
    if (active.isActive(recordingId) || m.status().active()) {
      throw new RecordingConflictException("recording " + recordingId + " is still "
          + (m.status() == RecordingStatus.FINALIZING ? "being finalized" : "recording"));
    }
    return m;
  }
}
