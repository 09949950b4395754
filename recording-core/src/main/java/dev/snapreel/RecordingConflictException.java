package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * The request clashes with the recording's state: starting twice, writing after stop, deleting an active recording.
 *
 * @since 0.1.0
 */
public class RecordingConflictException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public RecordingConflictException(String message) {
    super(message);
  }

  public RecordingConflictException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
