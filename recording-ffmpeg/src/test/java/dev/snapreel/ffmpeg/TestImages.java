package dev.snapreel.ffmpeg;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real JPEG snapshots for tests, made with ImageIO (quality 0.8, like the browser sends). */
public final class TestImages {
  private TestImages() {}

  /** A frame of random noise, like the specification's {@code np.random.randint} test frames. */
  static byte[] noise(int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Random random = new Random(seed);
    byte[] pixels = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
    random.nextBytes(pixels);
    return jpeg(image);
  }

  /** A solid-colour frame: distinct frames decode to clearly distinct pixels. */
  static byte[] solid(int width, int height, Color color) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return jpeg(image);
  }

  /** The n-th colour of a sequence of well-separated colours. */
  static Color color(int n) {
    float hue = (n * 0.618034f) % 1f;
    return Color.getHSBColor(hue, 0.9f, 0.5f + 0.4f * ((n % 2)));
  }

  public static byte[] jpeg(BufferedImage image) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.8f);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, null), param);
      }
      writer.dispose();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
