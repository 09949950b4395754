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
 */
final class Psnr {
  /** Mean and worst per-frame PSNR in dB over {@code frames} compared frames. */
  record Result(double meanDb, double minDb, int frames) {}

  private Psnr() {}

  /**
   * @param sourceOfSlot output slot → index into {@code sources}, or -1 to skip the slot
   * @param slots how many leading output slots to compare (the rest of the file is ignored)
   */
  static Result measure(Path video, List<byte[]> sources, IntUnaryOperator sourceOfSlot, int slots) {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    double sum = 0;
    double min = Double.MAX_VALUE;
    int compared = 0;
    int cachedIndex = -1;
    byte[] cached = new byte[0]; // replaced before first use: cachedIndex starts at -1
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
        if (source != cachedIndex) {
          cached = bgr(sources.get(source));
          cachedIndex = source;
        }
        double db = psnr((ByteBuffer) frame.image[0], frame.imageStride, frame.imageWidth, frame.imageHeight, cached);
        sum += db;
        min = Math.min(min, db);
        compared++;
      }
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
      throw new IllegalStateException("cannot decode " + video + ": " + e.getMessage(), e);
    }
    return new Result(compared == 0 ? Double.NaN : sum / compared, compared == 0 ? Double.NaN : min, compared);
  }

  private static byte[] bgr(byte[] jpeg) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
      BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.getGraphics().drawImage(img, 0, 0, null);
      return ((java.awt.image.DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double psnr(ByteBuffer decoded, int stride, int width, int height, byte[] source) {
    if (source.length != width * height * 3) {
      throw new IllegalStateException("source and video sizes differ: " + source.length + " vs " + width + "x" + height);
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
