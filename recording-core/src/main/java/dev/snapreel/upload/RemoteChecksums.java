package dev.snapreel.upload;

import java.util.Optional;

/**
 * A remote store that can tell the SHA-256 of an object without downloading it (for S3: recorded at
 * upload from the bytes sent, with the transfer itself verified by the server's checksums). Remotes
 * that don't implement this are verified by reading the object back.
 *
 * @since 0.1.0
 */
public interface RemoteChecksums {
  /** Lower-case hex SHA-256 of the stored object, or empty if absent or unknown. */
  Optional<String> sha256(String key);
}
