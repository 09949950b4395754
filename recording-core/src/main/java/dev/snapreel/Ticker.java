package dev.snapreel;

/** A monotonic nanosecond clock. Injectable so pacing can be tested without sleeping. */
@FunctionalInterface
public interface Ticker {
  long nanos();

  static Ticker system() {
    return System::nanoTime;
  }
}
