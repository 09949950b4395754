package dev.snapreel.testkit;

import static java.util.Objects.requireNonNull;

import dev.snapreel.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that only moves when a test moves it, so snapshot times, idle advances and stop
 * times are exact and frame counts can be asserted to the frame. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos;

  private ManualTicker(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  /** Starts at an arbitrary non-zero time, so code that assumes the clock starts at 0 is caught. */
  public static ManualTicker create() {
    return new ManualTicker(1_000_000_000_000L);
  }

  public static ManualTicker startingAt(long nanos) {
    return new ManualTicker(nanos);
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  public void advance(Duration by) {
    requireNonNull(by, "by");
    if (by.isNegative()) {
      throw new IllegalArgumentException("a monotonic ticker cannot go back: " + by);
    }
    nanos.addAndGet(by.toNanos());
  }

  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }
}
