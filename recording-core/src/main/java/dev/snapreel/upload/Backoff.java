package dev.snapreel.upload;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between upload attempts: the n-th retry waits a random time in
 * {@code [d/2, d]} where {@code d = min(max, initial * 2^(n-1))}. The jitter keeps many hosts that
 * lost the same store from retrying in lock step. Retries never stop: a recording stays pending (and
 * local) until its upload is confirmed.
 *
 * @since 0.1.0
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
    }
  }

  /** 1 s doubling up to 5 min. */
  public static Backoff defaults() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
  }

  /** The upper bound of the wait before retry number {@code attempt} (1-based). */
  public Duration ceiling(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    long maxMillis = max.toMillis();
    long d = initial.toMillis();
    for (int i = 1; i < attempt && d < maxMillis; i++) {
      d *= 2;
    }
    return Duration.ofMillis(Math.min(d, maxMillis));
  }

  /** A jittered wait before retry number {@code attempt}: uniformly in {@code [ceiling/2, ceiling]}. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
