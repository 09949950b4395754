package dev.snapreel;

/**
 * An owner's storage quota ({@code RecordingService.Builder#maxOwnerBytes}) is used up: no new
 * recording starts until some are deleted. The example host answers {@code 507}.
 *
 * @since 0.1.0
 */
public class QuotaExceededException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public QuotaExceededException(String message) {
    super(message);
  }
}
