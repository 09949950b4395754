package dev.snapreel;

/**
 * A monotonic nanosecond clock. Injectable so pacing can be tested without sleeping.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Ticker {
  long nanos();

  static Ticker system() {
    return System::nanoTime;
  }
}
