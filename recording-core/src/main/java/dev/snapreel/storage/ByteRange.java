package dev.snapreel.storage;

/**
 * An inclusive-exclusive byte range {@code [offset, offset + length)} of a stored object.
 *
 * @since 0.1.0
 */
public record ByteRange(long offset, long length) {
  public ByteRange {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
    }
  }

  public static ByteRange all(long size) {
    return new ByteRange(0, size);
  }

  public long endExclusive() {
    return offset + length;
  }
}
