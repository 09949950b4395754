package dev.snapreel;

/**
 * One owner already has as many active recordings as {@code maxUserActiveRecordings} allows; the
 * other owners are unaffected. Hosts answer {@code 429}.
 *
 * @since 0.1.0
 */
public final class UserLimitExceededException extends CapacityExceededException {
  private static final long serialVersionUID = 1L;

  public UserLimitExceededException(String message) {
    super(message);
  }
}
