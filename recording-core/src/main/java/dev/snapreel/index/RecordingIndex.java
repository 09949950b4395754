package dev.snapreel.index;

import dev.snapreel.internal.StorageDerivedIndex;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.StorageBackend;
import java.io.Closeable;
import java.util.Collection;
import java.util.Optional;

/**
 * A queryable index of recordings' metadata. The storage is the source of truth: the service writes
 * a recording's metadata JSON to storage first and then tells the index, so an index can be rebuilt
 * from the storage at any time.
 *
 * <p>Listings are newest first: by {@code created_at} (to the microsecond) descending, then by
 * {@code recording_id} descending, and paged by keyset: a page ends with an opaque {@linkplain
 * RecordingPage#nextCursor() cursor} for the next one, valid only for the same listing (owner,
 * session or query). A cursor that was altered, or given to another listing, fails with {@link
 * InvalidCursorException}. Pages stay consistent while recordings are added or removed: no
 * recording is returned twice, and one that existed for the whole walk is returned once.
 *
 * <p>Implementations are thread-safe. Failures reaching the index throw {@link IndexException}
 * ({@link IndexUnavailableException} when it cannot be reached at all).
 *
 * @since 0.1.0
 */
public interface RecordingIndex extends Closeable {

  /**
   * The default index, derived from the storage's own listing: no database, always consistent with
   * the storage (also when several hosts share it), but each listing reads the storage's key
   * prefix. Fine for thousands of recordings per owner; use {@code recording-index-jdbc} beyond.
   */
  static RecordingIndex storageDerived(StorageBackend storage) {
    return new StorageDerivedIndex(storage);
  }

  /** {@link #storageDerived(StorageBackend)} with cursors signed by {@code cursors}. */
  static RecordingIndex storageDerived(StorageBackend storage, PageCursors cursors) {
    return new StorageDerivedIndex(storage, cursors);
  }

  /** Adds a recording or replaces the one with the same {@code recording_id}. */
  void put(RecordingMetadata metadata);

  /** {@link #put} for many; implementations batch it. */
  default void putAll(Collection<RecordingMetadata> recordings) {
    for (RecordingMetadata m : recordings) {
      put(m);
    }
  }

  /**
   * Replaces a recording that is indexed; does nothing for one that is not (it was deleted, here or
   * by another host, and must not come back).
   *
   * @return whether it was indexed
   */
  boolean update(RecordingMetadata metadata);

  /**
   * Removes a recording of {@code ownerId}.
   *
   * @return whether it was indexed (another owner's recording is never removed)
   */
  boolean remove(String ownerId, String recordingId);

  /** A recording of {@code ownerId}; empty if unknown or another owner's. */
  Optional<RecordingMetadata> get(String ownerId, String recordingId);

  /** A page of {@code ownerId}'s recordings, newest first. */
  RecordingPage list(String ownerId, PageRequest page);

  /** A page of the recordings of one session of {@code ownerId}, newest first. */
  RecordingPage list(String ownerId, String sessionId, PageRequest page);

  /** How many recordings {@code ownerId} has and their total {@code file_size_bytes}. */
  OwnerUsage usage(String ownerId);

  /**
   * A page of the recordings of every owner that match {@code query}, <em>oldest</em> first (the
   * order retention and recovery work in).
   */
  RecordingPage find(RecordingQuery query, PageRequest page);

  /**
   * Runs {@code task} unless another host sharing this index is running the task of the same name
   * (retention, say), in which case it returns false at once. The default runs it: an index of one
   * host has no one to share with. PostgreSQL uses an advisory lock.
   */
  default boolean runExclusively(String taskName, Runnable task) {
    task.run();
    return true;
  }

  /** Releases connections; the default does nothing. */
  @Override
  default void close() {}
}
