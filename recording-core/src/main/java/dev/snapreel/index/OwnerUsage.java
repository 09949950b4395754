package dev.snapreel.index;

/**
 * What one owner keeps: the number of indexed recordings and the sum of their {@code
 * file_size_bytes}.
 *
 * @since 0.1.0
 */
public record OwnerUsage(long recordings, long totalBytes) {
  public static final OwnerUsage NONE = new OwnerUsage(0, 0);

  public OwnerUsage {
    if (recordings < 0 || totalBytes < 0) {
      throw new IllegalArgumentException(
          "usage cannot be negative: " + recordings + ", " + totalBytes);
    }
  }
}
