package dev.snapreel.testkit;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * What a recorded file really holds, found by opening and decoding it with FFmpeg: codec, pixel
 * format, frame rate, size, every frame decoded and counted, container duration, and the MP4
 * top-level box order (is {@code moov} before {@code mdat}; is it fragmented).
 *
 * @since 0.1.0
 */
public record VideoProbe(
    String codec,
    String pixelFormat,
    int frameRateNum,
    int frameRateDen,
    int width,
    int height,
    long decodedFrames,
    double durationSeconds,
    List<String> topLevelBoxes) {

  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  public double frameRate() {
    return (double) frameRateNum / frameRateDen;
  }

  /** {@code moov} precedes {@code mdat}: a browser can start playing before the whole file loads. */
  public boolean moovBeforeMdat() {
    int moov = topLevelBoxes.indexOf("moov");
    int mdat = topLevelBoxes.indexOf("mdat");
    return moov >= 0 && (mdat < 0 || moov < mdat);
  }

  /** The file holds movie fragments ({@code moof}). */
  public boolean fragmented() {
    return topLevelBoxes.contains("moof");
  }

  /** Probes and fully decodes {@code file}; throws if FFmpeg cannot open or decode it. */
  public static VideoProbe of(Path file) {
    List<String> boxes = topLevelBoxes(file);
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.start();
      AVFormatContext fc = grabber.getFormatContext();
      AVStream video = null;
      for (int i = 0; i < fc.nb_streams(); i++) {
        AVStream s = fc.streams(i);
        if (s.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
          video = s;
          break;
        }
      }
      if (video == null) {
        throw new AssertionError(file + " has no video stream");
      }
      AVCodecParameters par = video.codecpar();
      String codec = avcodec.avcodec_get_name(par.codec_id()).getString();
      String pixFmt =
          par.format() < 0 ? "none" : av_get_pix_fmt_name(par.format()).getString();
      AVRational rate = video.r_frame_rate();
      double duration =
          fc.duration() == AV_NOPTS_VALUE ? Double.NaN : fc.duration() / (double) AV_TIME_BASE;
      long frames = 0;
      Frame frame;
      while ((frame = grabber.grabImage()) != null) {
        if (frame.image != null) {
          frames++;
        }
      }
      return new VideoProbe(
          codec,
          pixFmt,
          rate.num(),
          rate.den(),
          par.width(),
          par.height(),
          frames,
          duration,
          boxes);
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
      throw new AssertionError("FFmpeg cannot decode " + file + ": " + e.getMessage(), e);
    }
  }

  /** Types of the top-level ISO-BMFF boxes, in file order (empty if not an MP4). */
  public static List<String> topLevelBoxes(Path file) {
    List<String> boxes = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(raw)) {
      long remaining = Files.size(file);
      while (remaining >= 8) {
        long size = in.readInt() & 0xFFFFFFFFL;
        byte[] type = new byte[4];
        in.readFully(type);
        long header = 8;
        if (size == 1) {
          size = in.readLong();
          header = 16;
        } else if (size == 0) {
          size = remaining;
        }
        boxes.add(new String(type, java.nio.charset.StandardCharsets.US_ASCII));
        if (size < header || size > remaining) {
          break;
        }
        in.skipNBytes(size - header);
        remaining -= size;
      }
    } catch (EOFException e) {
      // truncated last box: report what was read
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file + ": " + e, e);
    }
    return boxes;
  }
}
