package dev.snapreel.ffmpeg.internal;

/**
 * A bit-rate cap over real time (the output grid's clock), whatever share of the slots are skip
 * pictures: a leaky bucket of {@code cap} bits per second with one second of credit. The encoder's own
 * rate control targets the cap per picture; when the pictures come faster than it was told (a client
 * sending more snapshots per second) the bucket runs dry and the next new snapshot is written as a
 * repeat of the previous picture instead, so the file never exceeds the cap by more than a second's
 * worth.
 */
final class RealTimeCap {
  private final double bytesPerSlot;
  private final double creditBytes;
  private long written;

  /** {@code bitsPerSecond} over a grid of {@code fps} slots per second. */
  RealTimeCap(long bitsPerSecond, double fps) {
    this.bytesPerSlot = bitsPerSecond / 8.0 / fps;
    this.creditBytes = bitsPerSecond / 8.0;
  }

  /** Whether slot {@code slot} (0-based) may carry a newly encoded picture. */
  boolean allowsPicture(long slot) {
    return written <= bytesPerSlot * slot + creditBytes;
  }

  /** Counts {@code bytes} written. */
  void wrote(long bytes) {
    written += bytes;
  }
}
