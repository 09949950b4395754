package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * The storage backend failed: I/O error, full disk, unreachable store.
 *
 * @since 0.1.0
 */
public class StorageException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
