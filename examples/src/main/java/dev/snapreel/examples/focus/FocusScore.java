package dev.snapreel.examples.focus;

/**
 * The attention score of a session, 0..100: rises while the user is present and centred, falls
 * slowly while they look away and faster while they are absent. Time-based, so the client's frame
 * rate does not change how fast it moves. Not thread-safe; {@link FocusSession} guards it.
 */
public final class FocusScore {
  static final double GAIN_PER_SECOND = 5;
  static final double OFF_CENTRE_LOSS_PER_SECOND = 3;
  static final double ABSENT_LOSS_PER_SECOND = 10;
  /** A longer gap (reconnect, paused tab) counts as one second, not as minutes of absence. */
  static final long MAX_STEP_NANOS = 1_000_000_000L;

  private double score;
  private long lastNanos;
  private boolean started;

  public FocusScore(double initial) {
    if (!(initial >= 0 && initial <= 100)) {
      throw new IllegalArgumentException("initial score must be within 0..100, was " + initial);
    }
    this.score = initial;
  }

  public double value() {
    return score;
  }

  /** Applies one detection made at {@code nanos} (a monotonic clock) and returns the new score. */
  public double update(Detection detection, long nanos) {
    if (!started) {
      started = true;
      lastNanos = nanos;
      return score;
    }
    long step = Math.max(0, Math.min(MAX_STEP_NANOS, nanos - lastNanos));
    lastNanos = Math.max(lastNanos, nanos);
    double seconds = step / 1e9;
    double rate;
    if (detection.centred()) {
      rate = GAIN_PER_SECOND;
    } else if (detection.present()) {
      rate = -OFF_CENTRE_LOSS_PER_SECOND;
    } else {
      rate = -ABSENT_LOSS_PER_SECOND;
    }
    score = Math.max(0, Math.min(100, score + rate * seconds));
    return score;
  }

  /** A label for the page: focused, distracted or absent. */
  public static String attention(Detection detection) {
    if (detection.centred()) {
      return "focused";
    }
    return detection.present() ? "distracted" : "absent";
  }
}
