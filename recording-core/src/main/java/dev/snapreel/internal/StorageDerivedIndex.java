package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.index.IndexOrder;
import dev.snapreel.index.OwnerUsage;
import dev.snapreel.index.PageCursor;
import dev.snapreel.index.PageCursors;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.RecordingQuery;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StorageKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link RecordingIndex}: {@link MetadataIndex}'s read-through cache of the storage's
 * metadata JSON, sorted and paged in memory. Every listing lists the storage prefix, so it is always
 * what the storage holds; {@link #put} only primes the cache.
 */
public final class StorageDerivedIndex implements RecordingIndex {
  private final StorageBackend storage;
  private final MetadataIndex cache;
  private final PageCursors cursors;

  public StorageDerivedIndex(StorageBackend storage) {
    this(storage, PageCursors.randomKey());
  }

  public StorageDerivedIndex(StorageBackend storage, PageCursors cursors) {
    this.storage = requireNonNull(storage, "storage");
    this.cache = new MetadataIndex(storage);
    this.cursors = requireNonNull(cursors, "cursors");
  }

  @Override
  public void put(RecordingMetadata metadata) {
    cache.put(metadata);
  }

  @Override
  public boolean update(RecordingMetadata metadata) {
    if (storage.stat(metadata.metadataKey()).isEmpty()) {
      return false;
    }
    cache.put(metadata);
    return true;
  }

  @Override
  public boolean remove(String ownerId, String recordingId) {
    Optional<RecordingMetadata> known = cache
        .cached(recordingId)
        .or(() -> get(ownerId, recordingId))
        .filter(m -> m.ownerId().equals(ownerId));
    known.ifPresent(cache::remove);
    return known.isPresent();
  }

  @Override
  public Optional<RecordingMetadata> get(String ownerId, String recordingId) {
    if (!StorageKeys.isSegment(ownerId) || !StorageKeys.isSegment(recordingId)) {
      return Optional.empty();
    }
    Optional<RecordingMetadata> cached =
        cache.cached(recordingId).filter(m -> m.ownerId().equals(ownerId));
    if (cached.isPresent()) {
      return cached;
    }
    return cache.list(ownerId + "/").stream()
        .filter(m -> m.recordingId().equals(recordingId))
        .findFirst();
  }

  @Override
  public RecordingPage list(String ownerId, PageRequest page) {
    String scope = PageCursors.ownerScope(ownerId);
    @Nullable PageCursor after = cursors.position(scope, page.cursor());
    if (!StorageKeys.isSegment(ownerId)) {
      return RecordingPage.empty();
    }
    return slice(
        cache.list(ownerId + "/"), IndexOrder.NEWEST_FIRST, true, after, page.limit(), scope);
  }

  @Override
  public RecordingPage list(String ownerId, String sessionId, PageRequest page) {
    String scope = PageCursors.sessionScope(ownerId, sessionId);
    @Nullable PageCursor after = cursors.position(scope, page.cursor());
    if (!StorageKeys.isSegment(ownerId) || !StorageKeys.isSegment(sessionId)) {
      return RecordingPage.empty();
    }
    List<RecordingMetadata> all = cache.list(ownerId + "/" + sessionId + "/");
    return slice(all, IndexOrder.NEWEST_FIRST, true, after, page.limit(), scope);
  }

  @Override
  public OwnerUsage usage(String ownerId) {
    if (!StorageKeys.isSegment(ownerId)) {
      return OwnerUsage.NONE;
    }
    long count = 0;
    long bytes = 0;
    for (RecordingMetadata m : cache.list(ownerId + "/")) {
      count++;
      bytes += m.fileSizeBytes();
    }
    return new OwnerUsage(count, bytes);
  }

  @Override
  public RecordingPage find(RecordingQuery query, PageRequest page) {
    String scope = query.cursorScope();
    @Nullable PageCursor after = cursors.position(scope, page.cursor());
    List<RecordingMetadata> matching = new ArrayList<>();
    for (RecordingMetadata m : cache.list("")) {
      if (query.matches(m.status(), m.createdAt())) {
        matching.add(m);
      }
    }
    return slice(matching, IndexOrder.OLDEST_FIRST, false, after, page.limit(), scope);
  }

  private RecordingPage slice(
      List<RecordingMetadata> all,
      Comparator<RecordingMetadata> order,
      boolean newestFirst,
      @Nullable PageCursor after,
      int limit,
      String scope) {
    List<RecordingMetadata> sorted = new ArrayList<>(all.size());
    for (RecordingMetadata m : all) {
      if (after == null || after.precedes(m, newestFirst)) {
        sorted.add(m);
      }
    }
    sorted.sort(order);
    if (sorted.size() <= limit) {
      return new RecordingPage(sorted, null);
    }
    List<RecordingMetadata> page = sorted.subList(0, limit);
    return new RecordingPage(
        page, cursors.encode(scope, IndexOrder.positionOf(page.get(limit - 1))));
  }
}
