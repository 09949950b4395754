package dev.snapreel.benchmarks.load;

import java.util.Arrays;

/** Nearest-rank percentiles of durations in nanoseconds (no interpolation: every figure was observed). */
final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  /** Percentiles of {@code nanos} (copied, then sorted). */
  static Percentiles of(long[] nanos) {
    long[] copy = nanos.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  int count() {
    return sorted.length;
  }

  /**
   * The smallest value with at least {@code p} of all values at or below it ({@code
   * sorted[ceil(p * n) - 1]}): p99 of 100 values is the 99th, of 1000 the 990th. 0 when empty.
   */
  long nanos(double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in (0, 1], was " + p);
    }
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length - 1e-9); // 1e-9: 0.99 * 100 is 99.00000000000001
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  double millis(double p) {
    return nanos(p) / 1e6;
  }

  double maxMillis() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
  }
}
