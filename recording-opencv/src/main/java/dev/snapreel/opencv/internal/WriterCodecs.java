package dev.snapreel.opencv.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.UnsupportedCodecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_videoio;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_videoio.VideoWriter;
import org.jspecify.annotations.Nullable;

/**
 * The codecs the OpenCV sink knows, and which of them this OpenCV build can really write: probed
 * once per codec by opening a small {@code VideoWriter} on a temp file, then cached.
 */
public final class WriterCodecs {
  /**
   * Video backends tried, in order. Explicit, so OpenCV's image-sequence and MJPEG-AVI writers can
   * never answer for an MP4 file.
   */
  private static final List<Integer> BACKENDS =
      List.of(opencv_videoio.CAP_FFMPEG, opencv_videoio.CAP_GSTREAMER);

  /** A writable codec: which fourcc and backend worked, and the name FFmpeg reports for it. */
  public record Writable(String requested, String codecName, String fourcc, int backend) {
    public int fourccCode() {
      return VideoWriter.fourcc(
          (byte) fourcc.charAt(0), (byte) fourcc.charAt(1), (byte) fourcc.charAt(2), (byte)
              fourcc.charAt(3));
    }
  }

  /** A codec the sink knows: the name FFmpeg reports for it and the fourccs to try, in order. */
  record Family(String codecName, List<String> fourccs) {}

  private static final Map<String, Family> FAMILIES = Map.of(
      "mp4v", new Family("mpeg4", List.of("mp4v")),
      "mpeg4", new Family("mpeg4", List.of("mp4v")),
      "h264", new Family("h264", List.of("avc1", "H264")),
      "avc1", new Family("h264", List.of("avc1", "H264")));

  private static final WriterCodecs SHARED = new WriterCodecs(BACKENDS, FAMILIES);

  private final List<Integer> backends;
  private final Map<String, Family> families;
  private final Map<String, Object> probed = new ConcurrentHashMap<>();

  /** The VideoWriter APIs to try and the codecs known; the tests vary them to see refusals. */
  WriterCodecs(List<Integer> backends, Map<String, Family> families) {
    this.backends = List.copyOf(backends);
    this.families = Map.copyOf(families);
  }

  public static WriterCodecs shared() {
    return SHARED;
  }

  /**
   * The writable form of {@code codec}.
   *
   * @throws UnsupportedCodecException if the codec is unknown to this sink or this OpenCV build lacks it
   */
  public Writable require(String codec) {
    requireNonNull(codec, "codec");
    String key = codec.trim().toLowerCase(Locale.ROOT);
    Family family = families.get(key);
    if (family == null) {
      throw new UnsupportedCodecException("opencv sink does not support codec '" + codec
          + "'; it writes mp4v (alias mpeg4) or h264 (alias avc1)");
    }
    Object result = probed.computeIfAbsent(key, k -> probe(k, family));
    if (result instanceof Writable w) {
      return w;
    }
    throw new UnsupportedCodecException((String) result);
  }

  /** A {@link Writable}, or the message explaining why the build cannot write the codec. */
  private Object probe(String requested, Family family) {
    Path dir;
    try {
      dir = Files.createTempDirectory("snapreel-opencv-probe");
    } catch (IOException e) {
      return "cannot probe OpenCV codec '" + requested + "': no temp directory: " + e.getMessage();
    }
    try {
      for (String fourcc : family.fourccs()) {
        for (int backend : backends) {
          Writable candidate = new Writable(requested, family.codecName(), fourcc, backend);
          if (opens(candidate, dir.resolve("probe-" + fourcc + "-" + backend + ".mp4"))) {
            return candidate;
          }
        }
      }
      String cannot = "this OpenCV build cannot write codec '" + requested + "' (fourcc "
          + String.join("/", family.fourccs()) + ") to MP4: ";
      if (backends.contains(opencv_videoio.CAP_FFMPEG) && hasFfmpegBackend(dir)) {
        // The plugin is there; its FFmpeg lacks an encoder for the codec (OpenCV logs which).
        return cannot
            + "the FFmpeg videoio backend is loaded but its FFmpeg has no encoder for it; build the "
            + "plugin (OPENCV_VIDEOIO_PLUGIN_PATH) against an FFmpeg that has one, or use the FFmpeg sink "
            + "(recording-ffmpeg)";
      }
      return cannot
          + "VideoWriter has no backend for it. The org.bytedeco:opencv build lacks FFmpeg and "
          + "GStreamer video backends; put an OpenCV " + opencv_core.CV_VERSION
          + " FFmpeg videoio plugin (libopencv_videoio_ffmpeg*.so; snapreel's "
          + "recording-opencv/src/plugin/build-ffmpeg-plugin.sh builds one) on OPENCV_VIDEOIO_PLUGIN_PATH, "
          + "or use the FFmpeg sink (recording-ffmpeg)";
    } finally {
      deleteTree(dir);
    }
  }

  /** Whether VideoWriter has an FFmpeg backend at all: every FFmpeg build has the MJPEG encoder. */
  private static boolean hasFfmpegBackend(Path dir) {
    return opens(
        new Writable("mjpeg", "mjpeg", "MJPG", opencv_videoio.CAP_FFMPEG),
        dir.resolve("probe-mjpeg.avi"));
  }

  private static boolean opens(Writable candidate, Path file) {
    try (VideoWriter writer = new VideoWriter()) {
      if (!writer.open(
          file.toString(),
          candidate.backend(),
          candidate.fourccCode(),
          30,
          new Size(64, 48),
          true)) {
        return false;
      }
      try (Mat black = new Mat(48, 64, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
        writer.write(black);
      }
      writer.release();
      return Files.size(file) > 0;
    } catch (RuntimeException | IOException e) {
      return false;
    }
  }

  private static void deleteTree(@Nullable Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a leftover probe file in the temp directory is harmless
    }
  }
}
