package dev.snapreel;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Real JPEG/PNG bytes made with javax.imageio. */
public final class TestImages {
  private TestImages() {}

  public static byte[] jpeg(int width, int height) {
    return jpeg(width, height, Color.DARK_GRAY);
  }

  public static byte[] jpeg(int width, int height, Color color) {
    return encode(image(width, height, color, BufferedImage.TYPE_3BYTE_BGR), "jpg");
  }

  public static byte[] png(int width, int height) {
    return encode(image(width, height, Color.ORANGE, BufferedImage.TYPE_INT_ARGB), "png");
  }

  private static BufferedImage image(int width, int height, Color color, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(color);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.WHITE);
      g.drawLine(0, 0, width - 1, height - 1);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A valid {@code width}x{@code height} JPEG with a second frame header declaring {@code
   * hiddenWidth}x{@code hiddenHeight} right after the first: what a crafted file does to slip a huge
   * allocation past a check that reads only the first header.
   */
  public static byte[] jpegWithSecondFrameHeader(
      int width, int height, int hiddenWidth, int hiddenHeight) {
    byte[] jpeg = jpeg(width, height);
    int i = 2;
    while ((jpeg[i + 1] & 0xFF) != 0xC0) {
      i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
    }
    int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
    int end = i + 2 + length;
    byte[] second = java.util.Arrays.copyOfRange(jpeg, i, end);
    second[5] = (byte) (hiddenHeight >> 8);
    second[6] = (byte) hiddenHeight;
    second[7] = (byte) (hiddenWidth >> 8);
    second[8] = (byte) hiddenWidth;
    byte[] out = new byte[jpeg.length + second.length];
    System.arraycopy(jpeg, 0, out, 0, end);
    System.arraycopy(second, 0, out, end, second.length);
    System.arraycopy(jpeg, end, out, end + second.length, jpeg.length - end);
    return out;
  }
}
