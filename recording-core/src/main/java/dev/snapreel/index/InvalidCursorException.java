package dev.snapreel.index;

import dev.snapreel.SnapreelException;

/**
 * A page cursor is malformed, was altered, or belongs to another listing. The example host answers
 * {@code 422}.
 *
 * @since 0.1.0
 */
public class InvalidCursorException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public InvalidCursorException(String message) {
    super(message);
  }
}
