package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.Snapshot;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.ffmpeg.TestImages;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/** Generated clips recorded through the FFmpeg sink and decoded back strictly. */
final class TestClips {
  private TestClips() {}

  /** A decoded recording and the luma of the source snapshot (the decoded JPEG) of each slot. */
  record Clip(StrictDecode.Result decoded, List<byte[]> sources, long fileBytes, double fps) {
    /** PSNR of the luma of slot {@code s} against the source picture written there. */
    double psnr(int s) {
      byte[] source = sources.get(s);
      byte[] picture = decoded.pictures().get(s);
      double se = 0;
      int n = source.length;
      for (int i = 0; i < n; i++) {
        int d = (source[i] & 0xFF) - (picture[i] & 0xFF);
        se += d * d;
      }
      return se == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / (se / n));
    }

    /** Mean PSNR-Y over all slots. */
    double meanPsnr() {
      double sum = 0;
      for (int s = 0; s < sources.size(); s++) {
        sum += psnr(s);
      }
      return sum / sources.size();
    }

    /** Video bits per second over the clip's real duration (slots / fps), from the packet sizes. */
    double videoBitrate() {
      long bytes =
          decoded.packets().stream().mapToLong(StrictDecode.Packet::size).sum();
      return bytes * 8.0 / (sources.size() / fps);
    }
  }

  /** Records {@code slots} output slots, a new picture where {@code unique} holds, else a duplicate. */
  static Clip record(
      Path dir,
      EncodingSpec spec,
      int slots,
      IntPredicate unique,
      IntFunction<BufferedImage> scene) {
    return record(FfmpegSinks.h264(), dir, spec, slots, unique, scene);
  }

  /** {@link #record(Path, EncodingSpec, int, IntPredicate, IntFunction)} with another sink. */
  static Clip record(
      FrameSink sink,
      Path dir,
      EncodingSpec spec,
      int slots,
      IntPredicate unique,
      IntFunction<BufferedImage> scene) {
    Path partial = dir.resolve("partial.mp4");
    Path target = dir.resolve("out.mp4");
    List<byte[]> sources = new ArrayList<>();
    try (EncodingSession session = sink.open(spec, partial)) {
      PreparedFrame frame = null;
      byte[] luma = null;
      int picture = 0;
      for (int s = 0; s < slots; s++) {
        boolean fresh = frame == null || unique.test(s);
        if (fresh) {
          BufferedImage image = scene.apply(picture++);
          if (frame != null) {
            frame.close();
          }
          byte[] jpeg = TestImages.jpeg(image);
          frame = session.prepare(Snapshot.encoded(jpeg));
          luma = luma(javax.imageio.ImageIO.read(
              new java.io.ByteArrayInputStream(jpeg))); // the snapshot as sent
        }
        session.write(frame, !fresh);
        sources.add(luma);
      }
      if (frame != null) {
        frame.close();
      }
      assertThat(session.finish(target)).isEqualTo(slots);
      return new Clip(StrictDecode.of(target), sources, Files.size(target), spec.fps());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A textured scene with a square moving a few pixels per picture. */
  static BufferedImage movingSquare(int w, int h, int n) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    SplittableRandom random = new SplittableRandom(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 60 + (x * 97 / w) + (y * 53 / h) + random.nextInt(12);
        image.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    square(image, n);
    return image;
  }

  /**
   * Camera-like: a colour texture (stripes and a gradient), fresh sensor noise of amplitude {@code
   * noise} in every picture, and the moving square.
   */
  static BufferedImage noisyTexture(int w, int h, int n, int noise) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    SplittableRandom random = new SplittableRandom(1000 + n);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int texture = ((x / 3 + y / 5) % 2) * 40 + (x * 80 / w);
        int r = texture + 60 + random.nextInt(-noise, noise + 1);
        int g = texture + 40 + (y * 60 / h) + random.nextInt(-noise, noise + 1);
        int b = 150 - texture / 2 + random.nextInt(-noise, noise + 1);
        image.setRGB(x, y, new Color(clamp(r), clamp(g), clamp(b)).getRGB());
      }
    }
    square(image, n);
    return image;
  }

  private static void square(BufferedImage image, int n) {
    int w = image.getWidth();
    int h = image.getHeight();
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(200, 120, 40));
    int size = Math.max(8, w / 6);
    g.fillRect((n * 3) % (w - size), (h - size) / 2 + (n % 5), size, size);
    g.dispose();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** BT.601 limited-range luma, as the encoder's yuv420p sees it. */
  static byte[] luma(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] y = new byte[w * h];
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        int rgb = image.getRGB(i, j);
        double v = 16
            + (65.481 * ((rgb >> 16) & 0xFF)
                    + 128.553 * ((rgb >> 8) & 0xFF)
                    + 24.966 * (rgb & 0xFF))
                / 255.0;
        y[j * w + i] = (byte) Math.round(v);
      }
    }
    return y;
  }
}
