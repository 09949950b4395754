package dev.snapreel.ffmpeg;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Decodes every frame of a video and keeps a small summary of each: the mean BGR of regions. */
final class DecodedFrames {
  /** Mean B, G, R of the whole frame, its centre and a strip at the left edge. */
  record Summary(double[] whole, double[] centre, double[] leftEdge) {}

  private DecodedFrames() {}

  static List<Summary> of(Path file) throws Exception {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    List<Summary> out = new ArrayList<>();
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      grabber.start();
      Frame frame;
      while ((frame = grabber.grabImage()) != null) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        out.add(new Summary(
            mean(buf, stride, 0, 0, w, h),
            mean(buf, stride, w * 3 / 8, h * 3 / 8, w / 4, h / 4),
            mean(buf, stride, 0, h / 4, Math.max(2, w / 40), h / 2)));
      }
    }
    return out;
  }

  private static double[] mean(ByteBuffer buf, int stride, int x0, int y0, int w, int h) {
    double[] sum = new double[3];
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        int i = y * stride + x * 3;
        for (int c = 0; c < 3; c++) {
          sum[c] += buf.get(i + c) & 0xFF;
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      sum[c] /= (double) w * h;
    }
    return sum;
  }

  static double distance(double[] a, double[] b) {
    double d = 0;
    for (int c = 0; c < 3; c++) {
      d = Math.max(d, Math.abs(a[c] - b[c]));
    }
    return d;
  }
}
