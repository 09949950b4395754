package dev.snapreel;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when told: snapshot times become deterministic. */
final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long nanos() {
    return nanos.get();
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  void set(Duration sinceZero) {
    nanos.set(sinceZero.toNanos());
  }
}
