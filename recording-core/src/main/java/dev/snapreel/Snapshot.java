package dev.snapreel;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One camera snapshot: encoded image bytes (JPEG or PNG) or raw pixels, optionally with the client's
 * capture time.
 *
 * <p>Factories check what can be checked without decoding, in one linear pass (non-empty, a
 * JPEG/PNG signature, a frame header with the image size, an intact JPEG marker structure ending in
 * EOI, a PNG ending in IEND, raw buffer length) and throw {@link InvalidFrameException} otherwise;
 * anything the decoder still refuses is rejected later, when the recording decodes it.
 *
 * <p>The array is not copied: do not modify it after handing it over.
 *
 * @since 0.1.0
 */
public final class Snapshot {
  /** What the bytes hold. */
  public enum Kind {
    JPEG,
    PNG,
    RAW
  }

  private final Kind kind;
  private final byte[] data;
  private final int width;
  private final int height;
  private final int largestWidth;
  private final int largestHeight;
  private final @Nullable PixelFormat pixelFormat;
  private final long captureNanos;
  private final boolean hasCaptureTime;

  private Snapshot(
      Kind kind,
      byte[] data,
      int width,
      int height,
      int largestWidth,
      int largestHeight,
      @Nullable PixelFormat pixelFormat,
      long captureNanos,
      boolean hasCaptureTime) {
    this.kind = kind;
    this.data = data;
    this.width = width;
    this.height = height;
    this.largestWidth = largestWidth;
    this.largestHeight = largestHeight;
    this.pixelFormat = pixelFormat;
    this.captureNanos = captureNanos;
    this.hasCaptureTime = hasCaptureTime;
  }

  /** A JPEG or PNG image, recognised by its signature. */
  public static Snapshot encoded(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new InvalidFrameException("empty snapshot: 0 bytes");
    }
    if (ImageHeaders.isJpeg(bytes)) {
      int[] size = ImageHeaders.checkJpeg(bytes);
      return new Snapshot(Kind.JPEG, bytes, size[0], size[1], size[2], size[3], null, 0, false);
    }
    if (ImageHeaders.isPng(bytes)) {
      int[] size = ImageHeaders.pngSize(bytes);
      ImageHeaders.checkPngEnd(bytes);
      return new Snapshot(Kind.PNG, bytes, size[0], size[1], size[0], size[1], null, 0, false);
    }
    throw new InvalidFrameException("snapshot is neither JPEG nor PNG (" + bytes.length
        + " bytes, starts with " + ImageHeaders.hexPrefix(bytes) + ")");
  }

  /** Raw packed pixels, {@code width * height * format.bytesPerPixel()} bytes, top row first. */
  public static Snapshot raw(int width, int height, PixelFormat format, byte[] pixels) {
    requireNonNull(format, "format");
    requireNonNull(pixels, "pixels");
    if (width <= 0 || height <= 0) {
      throw new InvalidFrameException(
          "raw snapshot size " + width + "x" + height + " is not positive");
    }
    long expected = (long) width * height * format.bytesPerPixel();
    if (pixels.length != expected) {
      throw new InvalidFrameException("raw " + format + " snapshot " + width + "x" + height
          + " needs " + expected + " bytes, got " + pixels.length);
    }
    return new Snapshot(Kind.RAW, pixels, width, height, width, height, format, 0, false);
  }

  /**
   * The same snapshot stamped with the client's capture time, in nanoseconds on any epoch. The
   * recording maps it onto its own clock relative to the first stamped snapshot and keeps it
   * monotonic; without it the server's receive time is used.
   */
  public Snapshot capturedAt(long captureNanos) {
    return new Snapshot(
        kind, data, width, height, largestWidth, largestHeight, pixelFormat, captureNanos, true);
  }

  public Kind kind() {
    return kind;
  }

  /** The bytes as given: the encoded image, or the raw pixels. Not a copy. */
  public byte[] data() {
    return data;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /**
   * The largest pixel count any frame header of the image declares: a JPEG may carry several frame
   * headers and a decoder allocates for each, so pixel limits check this, not {@code width *
   * height} (which is the first header's).
   *
   * @since 0.1
   */
  public long largestFramePixels() {
    return (long) largestWidth * largestHeight;
  }

  /** {@code WIDTHxHEIGHT} of the frame header behind {@link #largestFramePixels()}. */
  public String largestFrameSize() {
    return largestWidth + "x" + largestHeight;
  }

  /** Pixel layout of a {@link Kind#RAW} snapshot; null for encoded images. */
  public @Nullable PixelFormat pixelFormat() {
    return pixelFormat;
  }

  public OptionalLong captureNanos() {
    return hasCaptureTime ? OptionalLong.of(captureNanos) : OptionalLong.empty();
  }

  @Override
  public String toString() {
    return "Snapshot[" + kind + " " + width + "x" + height + ", " + data.length + " bytes]";
  }
}
