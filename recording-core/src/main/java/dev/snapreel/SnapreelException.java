package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception snapreel throws. Unchecked: callers catch the specific subclasses they can handle.
 *
 * @since 0.1.0
 */
public class SnapreelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SnapreelException(String message) {
    super(message);
  }

  public SnapreelException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
