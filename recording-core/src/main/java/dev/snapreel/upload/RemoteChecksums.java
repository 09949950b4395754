package dev.snapreel.upload;

import java.util.Optional;

/**
 * A remote store that can tell the SHA-256 of an object without downloading it, as computed by the
 * store over the bytes it holds (for S3: the object's checksum with {@code ChecksumMode.ENABLED}).
 * Never a value the uploader wrote itself: that would confirm whatever the store mangled. When it
 * does not know (empty), and for remotes that don't implement this, the object is read back.
 *
 * @since 0.1.0
 */
public interface RemoteChecksums {
  /** Lower-case hex SHA-256 of the stored object as the store computed it, or empty if absent or unknown. */
  Optional<String> sha256(String key);
}
