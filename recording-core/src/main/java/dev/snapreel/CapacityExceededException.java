package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * A configured limit is reached (active recordings); retry later.
 *
 * @since 0.1.0
 */
public class CapacityExceededException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public CapacityExceededException(String message) {
    super(message);
  }

  public CapacityExceededException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
