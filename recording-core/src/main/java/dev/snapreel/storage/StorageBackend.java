package dev.snapreel.storage;

import java.io.Closeable;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where finished videos and their metadata JSON live: a flat key space of {@code /}-separated keys
 * (see {@link StorageKeys}). The storage alone is the source of truth; the service rebuilds its index
 * from {@link #list}. Implementations are thread-safe. Failures surface as {@link
 * dev.snapreel.StorageException}.
 *
 * @since 0.1.0
 */
public interface StorageBackend extends Closeable {
  /** Provider name recorded in metadata: {@code local}, {@code s3}. */
  String provider();

  /** Stores a copy of {@code source} under {@code key}, atomically: readers see all of it or none. */
  void put(String key, Path source);

  /** Stores {@code source} under {@code key} and deletes {@code source}; may move instead of copy. */
  default void moveIn(String key, Path source) {
    put(key, source);
    try {
      java.nio.file.Files.deleteIfExists(source);
    } catch (java.io.IOException e) {
      throw new dev.snapreel.StorageException(
          "stored " + key + " but could not delete " + source, e);
    }
  }

  /** Stores small content (metadata) atomically. */
  void putBytes(String key, byte[] content);

  /** Reads a whole small object, or empty if absent. */
  Optional<byte[]> getBytes(String key);

  Optional<StoredObject> stat(String key);

  /**
   * Opens {@code range} of the object for reading. A range reaching past the end is clamped to it; an
   * empty range reads nothing.
   *
   * @throws RangeNotSatisfiableException if a non-empty range starts at or past the end
   * @throws dev.snapreel.StorageException if it does not exist or cannot be read
   */
  InputStream open(String key, ByteRange range);

  /** All keys under {@code prefix} (empty: everything), in no particular order. */
  List<StoredObject> list(String prefix);

  /** Deletes the object; returns whether it existed. */
  boolean delete(String key);

  /** A URL a client may fetch the object from directly for {@code ttl}, if the backend offers one. */
  default Optional<URI> presignedGet(String key, Duration ttl) {
    return Optional.empty();
  }

  /** A stable URL naming the object in its store (recorded as {@code cloud_storage_url}), if any. */
  default Optional<String> objectUrl(String key) {
    return Optional.empty();
  }

  @Override
  default void close() {}
}
