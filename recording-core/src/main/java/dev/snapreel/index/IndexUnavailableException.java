package dev.snapreel.index;

import org.jspecify.annotations.Nullable;

/**
 * The recording index cannot be reached (database down, connection refused, pool exhausted): a
 * transient failure. The example host answers {@code 503}.
 *
 * @since 0.1.0
 */
public class IndexUnavailableException extends IndexException {
  private static final long serialVersionUID = 1L;

  public IndexUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
