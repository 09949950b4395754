package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot was refused: empty, not a JPEG/PNG, truncated, oversized, or raw pixels of the wrong length.
 *
 * @since 0.1.0
 */
public class InvalidFrameException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public InvalidFrameException(String message) {
    super(message);
  }

  public InvalidFrameException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
