package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * No recording with that id (or not one the caller owns).
 *
 * @since 0.1.0
 */
public class RecordingNotFoundException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public RecordingNotFoundException(String message) {
    super(message);
  }

  public RecordingNotFoundException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
