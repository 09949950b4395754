package dev.snapreel.benchmarks.load;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntUnaryOperator;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * PSNR of a recorded video against the JPEG snapshots it was made from: every decoded output frame
 * (FFmpeg decode, converted to BGR24) is compared with the snapshot that slot should show (ImageIO
 * decode of the source JPEG), over all three 8-bit channels. The figure therefore includes the
 * encoder's loss and the 4:2:0 chroma subsampling, not the source JPEG's own loss. Per-frame PSNR
 * is capped at 100 dB (identical frames); the mean and the minimum over frames are reported.
 *
 * <p>Also over luma alone, Y = 0.299 R + 0.587 G + 0.114 B computed the same way on both sides:
 * PSNR-Y (mean of per-frame PSNR) and SSIM-Y (8x8 windows on a 4-pixel grid, as FFmpeg's {@code ssim}
 * filter does, constants K1 = 0.01, K2 = 0.03; mean over windows, then over frames).
 */
public final class Psnr {
  /**
   * Mean and worst per-frame PSNR in dB over {@code frames} compared frames (all three channels),
   * mean per-frame PSNR-Y and mean SSIM-Y.
   */
  public record Result(double meanDb, double minDb, int frames, double yDb, double ssim) {}

  private Psnr() {}

  /**
   * Decodes {@code video} and compares each output slot with the snapshot it shows.
   *
   * @param sourceOfSlot output slot → index into {@code sources}, or -1 to skip the slot
   * @param slots how many leading output slots to compare (the rest of the file is ignored)
   */
  public static Result measure(
      Path video, List<byte[]> sources, IntUnaryOperator sourceOfSlot, int slots) {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    double sum = 0;
    double min = Double.MAX_VALUE;
    double ySum = 0;
    double ssimSum = 0;
    int compared = 0;
    int cachedIndex = -1;
    byte[] cached = new byte[0]; // replaced before first use: cachedIndex starts at -1
    byte[] cachedY = new byte[0];
    byte[] lastY = null;
    int lastSource = -1;
    double lastYDb = 0;
    double lastSsim = 0;
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      grabber.start();
      Frame frame;
      int slot = 0;
      while (slot < slots && (frame = grabber.grabImage()) != null) {
        int source = sourceOfSlot.applyAsInt(slot++);
        if (source < 0) {
          continue;
        }
        boolean fresh = source != cachedIndex;
        if (fresh) {
          cached = bgr(sources.get(source));
        }
        if (fresh) {
          cachedY = luma(
              java.nio.ByteBuffer.wrap(cached),
              frame.imageWidth * 3,
              frame.imageWidth,
              frame.imageHeight);
          cachedIndex = source;
        }
        ByteBuffer image = (ByteBuffer) frame.image[0];
        double db = psnr(image, frame.imageStride, frame.imageWidth, frame.imageHeight, cached);
        sum += db;
        min = Math.min(min, db);
        byte[] y = luma(image, frame.imageStride, frame.imageWidth, frame.imageHeight);
        if (source != lastSource || lastY == null || !java.util.Arrays.equals(y, lastY)) {
          // A repeated picture (a skip picture) of the same source scores what it repeats.
          lastYDb = psnrY(y, cachedY);
          lastSsim = ssim(y, cachedY, frame.imageWidth, frame.imageHeight);
          lastY = y;
          lastSource = source;
        }
        ySum += lastYDb;
        ssimSum += lastSsim;
        compared++;
      }
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
      throw new IllegalStateException("cannot decode " + video + ": " + e.getMessage(), e);
    }
    return compared == 0
        ? new Result(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN)
        : new Result(sum / compared, min, compared, ySum / compared, ssimSum / compared);
  }

  private static byte[] bgr(byte[] jpeg) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
      BufferedImage bgr =
          new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.getGraphics().drawImage(img, 0, 0, null);
      return ((java.awt.image.DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** BT.601 luma of a BGR24 image, rounded to 8 bits. */
  private static byte[] luma(ByteBuffer bgr, int stride, int width, int height) {
    byte[] y = new byte[width * height];
    for (int r = 0; r < height; r++) {
      int row = r * stride;
      int out = r * width;
      for (int x = 0; x < width; x++) {
        int i = row + 3 * x;
        int b = bgr.get(i) & 0xff;
        int g = bgr.get(i + 1) & 0xff;
        int red = bgr.get(i + 2) & 0xff;
        y[out + x] = (byte) ((299 * red + 587 * g + 114 * b + 500) / 1000);
      }
    }
    return y;
  }

  private static double psnrY(byte[] a, byte[] b) {
    long sq = 0;
    for (int i = 0; i < a.length; i++) {
      int d = (a[i] & 0xff) - (b[i] & 0xff);
      sq += (long) d * d;
    }
    if (sq == 0) {
      return 100;
    }
    return Math.min(100, 10 * Math.log10(255.0 * 255.0 * a.length / sq));
  }

  /** SSIM over 8x8 windows on a 4-pixel grid, from sums over 4x4 blocks (FFmpeg's method). */
  static double ssim(byte[] a, byte[] b, int width, int height) {
    int bw = width / 4;
    int bh = height / 4;
    if (bw < 2 || bh < 2) {
      return Double.NaN;
    }
    long[] s1 = new long[bw * bh];
    long[] s2 = new long[bw * bh];
    long[] ss = new long[bw * bh];
    long[] s12 = new long[bw * bh];
    for (int y = 0; y < bh * 4; y++) {
      int row = y * width;
      int brow = (y / 4) * bw;
      for (int x = 0; x < bw * 4; x++) {
        int p = a[row + x] & 0xff;
        int q = b[row + x] & 0xff;
        int k = brow + x / 4;
        s1[k] += p;
        s2[k] += q;
        ss[k] += (long) p * p + (long) q * q;
        s12[k] += (long) p * q;
      }
    }
    double c1 = 0.01 * 255 * 0.01 * 255 * 64 * 64;
    double c2 = 0.03 * 255 * 0.03 * 255 * 64 * 63;
    double total = 0;
    int windows = 0;
    for (int by = 0; by + 1 < bh; by++) {
      for (int bx = 0; bx + 1 < bw; bx++) {
        int k = by * bw + bx;
        int[] ks = {k, k + 1, k + bw, k + bw + 1};
        double m1 = 0;
        double m2 = 0;
        double sq = 0;
        double cross = 0;
        for (int j : ks) {
          m1 += s1[j];
          m2 += s2[j];
          sq += ss[j];
          cross += s12[j];
        }
        // FFmpeg's ssim_end1 with N = 64 pixels per window.
        double fs1 = m1 * m1;
        double fs2 = m2 * m2;
        double fs12 = m1 * m2;
        double vars = sq * 64 - fs1 - fs2;
        double covar = cross * 64 - fs12;
        total += ((2 * fs12 + c1) * (2 * covar + c2)) / ((fs1 + fs2 + c1) * (vars + c2));
        windows++;
      }
    }
    return total / windows;
  }

  private static double psnr(ByteBuffer decoded, int stride, int width, int height, byte[] source) {
    if (source.length != width * height * 3) {
      throw new IllegalStateException(
          "source and video sizes differ: " + source.length + " vs " + width + "x" + height);
    }
    long sq = 0;
    for (int y = 0; y < height; y++) {
      int row = y * stride;
      int srow = y * width * 3;
      for (int x = 0; x < width * 3; x++) {
        int d = (decoded.get(row + x) & 0xff) - (source[srow + x] & 0xff);
        sq += (long) d * d;
      }
    }
    if (sq == 0) {
      return 100;
    }
    double mse = (double) sq / ((long) width * height * 3);
    return Math.min(100, 10 * Math.log10(255.0 * 255.0 / mse));
  }
}
