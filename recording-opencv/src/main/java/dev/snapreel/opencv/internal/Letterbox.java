package dev.snapreel.opencv.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.snapreel.InvalidFrameException;
import dev.snapreel.PixelFormat;
import dev.snapreel.Snapshot;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns a snapshot into a BGR {@link Mat} of exactly the recording size: decoded with {@code
 * imdecode} (JPEG/PNG) or wrapped (raw pixels), scaled to fit with its aspect kept, centred on black.
 */
final class Letterbox {
  private final int width;
  private final int height;

  Letterbox(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** A new BGR Mat of the recording size; the caller owns it. */
  Mat toFrame(Snapshot snapshot) {
    Mat bgr = decode(snapshot);
    if (bgr.cols() == width && bgr.rows() == height) {
      return bgr;
    }
    try (bgr) {
      return fit(bgr);
    }
  }

  private static Mat decode(Snapshot snapshot) {
    byte[] data = snapshot.data();
    if (snapshot.kind() != Snapshot.Kind.RAW) {
      Mat decoded;
      try (BytePointer bytes = new BytePointer(data);
          Mat buffer = new Mat(bytes)) {
        decoded = imdecode(buffer, IMREAD_COLOR);
      } catch (RuntimeException e) {
        throw new InvalidFrameException("cannot decode " + snapshot + ": " + e.getMessage(), e);
      }
      if (decoded == null || decoded.empty()) {
        if (decoded != null) {
          decoded.close();
        }
        throw new InvalidFrameException(
            "cannot decode " + snapshot + ": OpenCV found no image in it");
      }
      return decoded;
    }
    PixelFormat format = snapshot.pixelFormat();
    int w = snapshot.width();
    int h = snapshot.height();
    Mat raw = new Mat(h, w, format == PixelFormat.GRAY8 ? CV_8UC1 : CV_8UC3);
    raw.data().put(data, 0, data.length);
    if (format == PixelFormat.BGR24) {
      return raw;
    }
    try (raw) {
      Mat bgr = new Mat();
      cvtColor(raw, bgr, format == PixelFormat.RGB24 ? COLOR_RGB2BGR : COLOR_GRAY2BGR);
      return bgr;
    }
  }

  private Mat fit(Mat bgr) {
    int w = bgr.cols();
    int h = bgr.rows();
    double scale = Math.min((double) width / w, (double) height / h);
    int fitW = Math.max(1, Math.min(width, (int) Math.round(w * scale)));
    int fitH = Math.max(1, Math.min(height, (int) Math.round(h * scale)));
    Mat canvas = new Mat(height, width, CV_8UC3, new Scalar(0, 0, 0, 0));
    // INTER_AREA averages when shrinking (no aliasing); when enlarging it degenerates to nearest
    // neighbour, so bilinear is used there.
    int interpolation = scale < 1 ? INTER_AREA : INTER_LINEAR;
    try (Rect area = new Rect((width - fitW) / 2, (height - fitH) / 2, fitW, fitH);
        Mat roi = canvas.apply(area);
        Size size = new Size(fitW, fitH)) {
      resize(bgr, roi, size, 0, 0, interpolation);
    } catch (RuntimeException e) {
      canvas.close();
      throw e;
    }
    return canvas;
  }
}
