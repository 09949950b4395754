package dev.snapreel.index;

import dev.snapreel.SnapreelException;
import org.jspecify.annotations.Nullable;

/**
 * The recording index failed (a database error). The storage is unaffected: the index can be
 * rebuilt from it.
 *
 * @since 0.1.0
 */
public class IndexException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public IndexException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
