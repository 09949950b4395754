package dev.snapreel;

/**
 * Layouts accepted for raw-pixel snapshots: packed, 8 bits per channel, rows without padding.
 *
 * @since 0.1.0
 */
public enum PixelFormat {
  BGR24(3),
  RGB24(3),
  GRAY8(1);

  private final int bytesPerPixel;

  PixelFormat(int bytesPerPixel) {
    this.bytesPerPixel = bytesPerPixel;
  }

  public int bytesPerPixel() {
    return bytesPerPixel;
  }
}
