package dev.snapreel.testkit;

import dev.snapreel.PixelFormat;
import dev.snapreel.Snapshot;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Test snapshots made in memory with {@code javax.imageio}: flat gray or coloured JPEGs with a label
 * drawn in (so every frame differs and its level can be read back from a decoded video), raw pixel
 * snapshots, and JPEGs whose header is valid but whose image data is missing.
 *
 * @since 0.1.0
 */
public final class SnapshotImages {
  private SnapshotImages() {}

  /** A JPEG filled with gray {@code level} (0..255) and {@code label} drawn in a corner. */
  public static byte[] grayJpeg(int width, int height, int level, String label) {
    return jpeg(width, height, new Color(level, level, level), label);
  }

  /** A JPEG filled with {@code fill} and {@code label} drawn in the top-left corner. */
  public static byte[] jpeg(int width, int height, Color fill, String label) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(fill);
      g.fillRect(0, 0, width, height);
      // A small label keeps frames distinct without disturbing the flat centre that tests sample.
      int fontSize = Math.max(8, Math.min(width, height) / 12);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
      g.setColor(
          fill.getRed() + fill.getGreen() + fill.getBlue() > 384 ? Color.BLACK : Color.WHITE);
      g.drawString(label, 2, fontSize);
    } finally {
      g.dispose();
    }
    return encodeJpeg(image, 0.95f);
  }

  /** A snapshot of {@link #grayJpeg}. */
  public static Snapshot gray(int width, int height, int level, String label) {
    return Snapshot.encoded(grayJpeg(width, height, level, label));
  }

  /** A raw snapshot filled with one colour, laid out as {@code format} expects (RGB order given). */
  public static Snapshot rawFilled(
      int width, int height, PixelFormat format, int red, int green, int blue) {
    byte[] pixel =
        switch (format) {
          case RGB24 -> new byte[] {(byte) red, (byte) green, (byte) blue};
          case BGR24 -> new byte[] {(byte) blue, (byte) green, (byte) red};
          case GRAY8 -> {
            if (red != green || green != blue) {
              throw new IllegalArgumentException("GRAY8 needs red == green == blue");
            }
            yield new byte[] {(byte) red};
          }
        };
    byte[] data = new byte[width * height * pixel.length];
    for (int i = 0; i < data.length; i += pixel.length) {
      System.arraycopy(pixel, 0, data, i, pixel.length);
    }
    return Snapshot.raw(width, height, format, data);
  }

  /**
   * A JPEG that passes every structural check of {@link Snapshot#encoded} (signature, frame size,
   * segments, a scan, end-of-image) but cannot be decoded: its scan names a colour component the
   * frame does not have, which libjpeg, OpenCV and FFmpeg all reject.
   */
  public static byte[] corruptJpeg(int width, int height) {
    byte[] bytes = grayJpeg(width, height, 128, "x");
    for (int i = 2; i + 5 < bytes.length; i++) {
      if ((bytes[i] & 0xFF) == 0xFF && (bytes[i + 1] & 0xFF) == 0xDA) {
        bytes[i + 5] = 0x09; // first component selector of the scan; the frame has ids 1..3
        return bytes;
      }
    }
    throw new IllegalStateException("ImageIO wrote a JPEG without a start-of-scan marker");
  }

  private static byte[] encodeJpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
