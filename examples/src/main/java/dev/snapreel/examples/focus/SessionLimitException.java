package dev.snapreel.examples.focus;

/** A user already has as many open focus sessions as the host allows; the host answers {@code 429}. */
public final class SessionLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SessionLimitException(String message) {
    super(message);
  }
}
