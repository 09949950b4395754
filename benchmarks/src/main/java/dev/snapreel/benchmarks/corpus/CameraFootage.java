package dev.snapreel.benchmarks.corpus;

import static java.util.Objects.requireNonNull;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Real camera footage as a browser would send it: a video file (by default OpenCV's {@code
 * vtest.avi}, people walking, shot by a fixed camera, from Debian's {@code opencv-doc} package)
 * sampled at {@link WebcamCorpus#SNAPSHOT_FPS} by timestamp, scaled (centre-cropped to the target's
 * aspect ratio, bicubic) to the target size and encoded as JPEG at quality 0.8 with the JDK's writer,
 * like a canvas' {@code toBlob("image/jpeg", 0.8)}. Nothing is committed: the frames are derived on
 * first use and cached as {@code frame_%05d.jpg} beside the generated corpora.
 */
public final class CameraFootage {
  /** OpenCV's sample video (768x576, 10 FPS, 79 s), installed by {@code apt-get install opencv-doc}. */
  public static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

  private final Path video;
  private final int width;
  private final int height;
  private final int frames;

  public CameraFootage(Path video, int width, int height, int frames) {
    this.video = requireNonNull(video, "video");
    if (width < 16 || height < 16 || frames < 1) {
      throw new IllegalArgumentException(
          "bad size or frame count: " + width + "x" + height + ", " + frames);
    }
    this.width = width;
    this.height = height;
    this.frames = frames;
  }

  /** A stable name for the cache directory. */
  public String key() {
    String name = video.getFileName().toString().replaceAll("[^A-Za-z0-9]+", "-");
    return String.format(Locale.ROOT, "camera-%s-%dx%d-%d-q80", name, width, height, frames);
  }

  /**
   * Writes the snapshots under {@code cacheRoot/key()} unless complete already; returns that directory.
   *
   * @throws IllegalStateException if the video is missing or has fewer snapshots than asked for
   */
  public Path writeTo(Path cacheRoot) {
    Path dir = cacheRoot.resolve(key());
    Path marker = dir.resolve("COMPLETE");
    if (Files.isRegularFile(marker)) {
      return dir;
    }
    if (!Files.isRegularFile(video)) {
      throw new IllegalStateException(
          video + " is missing: install it with `apt-get install -y opencv-doc`"
              + " (Debian's OpenCV documentation, which ships OpenCV's sample videos)");
    }
    try {
      Files.createDirectories(dir);
      int written = 0;
      avutil.av_log_set_level(avutil.AV_LOG_ERROR);
      try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
          Java2DFrameConverter converter = new Java2DFrameConverter()) {
        grabber.start();
        long periodMicros = Math.round(1e6 / WebcamCorpus.SNAPSHOT_FPS);
        long next = 0;
        Frame frame;
        while (written < frames && (frame = grabber.grabImage()) != null) {
          if (frame.timestamp + 1000 < next) {
            continue;
          }
          next += periodMicros;
          BufferedImage image = scale(converter.convert(frame));
          Files.write(
              dir.resolve(WebcamCorpus.frameFileName(written++)),
              WebcamCorpus.encodeJpeg(image, 0.8f));
        }
      }
      if (written < frames) {
        throw new IllegalStateException(video + " gives only " + written + " snapshots at "
            + WebcamCorpus.SNAPSHOT_FPS + " FPS, " + frames + " asked for");
      }
      Files.writeString(marker, key() + "\n", StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir, e);
    }
  }

  /** The snapshots, converted first if needed. */
  public List<byte[]> load(Path cacheRoot) {
    Path dir = writeTo(cacheRoot);
    List<byte[]> result = new ArrayList<>(frames);
    try {
      for (int i = 0; i < frames; i++) {
        result.add(Files.readAllBytes(dir.resolve(WebcamCorpus.frameFileName(i))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    return result;
  }

  private BufferedImage scale(BufferedImage source) {
    // Centre crop to the target's aspect ratio, then scale.
    double target = (double) width / height;
    int sw = source.getWidth();
    int sh = source.getHeight();
    int cw = sw;
    int ch = sh;
    if ((double) sw / sh > target) {
      cw = (int) Math.round(sh * target);
    } else {
      ch = (int) Math.round(sw / target);
    }
    int x0 = (sw - cw) / 2;
    int y0 = (sh - ch) / 2;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(source, 0, 0, width, height, x0, y0, x0 + cw, y0 + ch, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
