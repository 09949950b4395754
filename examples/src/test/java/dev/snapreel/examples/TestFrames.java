package dev.snapreel.examples;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YUV_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.line;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Camera-like test images drawn with OpenCV: a stylised frontal face (skin-toned oval, dark brows,
 * eyes and mouth) that the Haar cascade really detects, and an empty room. No image files, no
 * downloads.
 */
public final class TestFrames {
  public static final int WIDTH = 640;
  public static final int HEIGHT = 480;

  private TestFrames() {}

  /** A 640x480 frame with a face whose centre is at ({@code cx}, {@code cy}) pixels. */
  public static Mat face(int cx, int cy) {
    Mat img = new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(60, 60, 60, 0));
    ellipse(
        img,
        new Point(cx, cy),
        new Size(110, 145),
        0,
        0,
        360,
        new Scalar(170, 185, 215, 0),
        FILLED,
        LINE_AA,
        0);
    Scalar brow = new Scalar(40, 40, 50, 0);
    ellipse(img, new Point(cx - 45, cy - 50), new Size(30, 8), 0, 180, 360, brow, 6, LINE_AA, 0);
    ellipse(img, new Point(cx + 45, cy - 50), new Size(30, 8), 0, 180, 360, brow, 6, LINE_AA, 0);
    Scalar eye = new Scalar(50, 45, 45, 0);
    ellipse(img, new Point(cx - 45, cy - 25), new Size(24, 11), 0, 0, 360, eye, FILLED, LINE_AA, 0);
    ellipse(img, new Point(cx + 45, cy - 25), new Size(24, 11), 0, 0, 360, eye, FILLED, LINE_AA, 0);
    line(
        img,
        new Point(cx, cy - 15),
        new Point(cx - 8, cy + 40),
        new Scalar(120, 130, 160, 0),
        4,
        LINE_AA,
        0);
    ellipse(
        img,
        new Point(cx, cy + 45),
        new Size(18, 7),
        0,
        0,
        180,
        new Scalar(110, 120, 150, 0),
        3,
        LINE_AA,
        0);
    ellipse(
        img,
        new Point(cx, cy + 80),
        new Size(40, 12),
        0,
        0,
        180,
        new Scalar(60, 60, 130, 0),
        FILLED,
        LINE_AA,
        0);
    GaussianBlur(img, img, new Size(5, 5), 0);
    return img;
  }

  /** An empty grey frame: nobody at the desk. */
  public static Mat empty() {
    return new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(90, 100, 110, 0));
  }

  public static byte[] faceJpeg() {
    return jpeg(face(WIDTH / 2, HEIGHT / 2));
  }

  public static byte[] emptyJpeg() {
    return jpeg(empty());
  }

  /** Encodes like the browser does: JPEG at quality 80. */
  public static byte[] jpeg(Mat image) {
    try (BytePointer out = new BytePointer();
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 80)) {
      if (!imencode(".jpg", image, out, params)) {
        throw new IllegalStateException("JPEG encoding failed");
      }
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    } finally {
      image.close();
    }
  }

  /** A JPEG whose header is intact but whose image data is garbage. */
  public static byte[] corruptJpeg() {
    byte[] good = faceJpeg();
    byte[] bad = good.clone();
    for (int i = 700; i < bad.length - 2; i++) {
      bad[i] = (byte) (i * 31);
    }
    return java.util.Arrays.copyOf(bad, 900);
  }

  /**
   * Writes a Y4M clip Chromium can play as its fake camera ({@code --use-file-for-fake-video-capture}):
   * the face at the centre.
   */
  public static Path faceCameraClip(Path dir) throws IOException {
    Path file = dir.resolve("fake-camera.y4m");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(("YUV4MPEG2 W" + WIDTH + " H" + HEIGHT + " F30:1 Ip A1:1 C420jpeg\n")
          .getBytes(StandardCharsets.US_ASCII));
      try (Mat bgr = face(WIDTH / 2, HEIGHT / 2);
          Mat yuv = new Mat()) {
        cvtColor(bgr, yuv, COLOR_BGR2YUV_I420);
        byte[] planes = new byte[WIDTH * HEIGHT * 3 / 2];
        yuv.data().get(planes);
        for (int i = 0; i < 2; i++) {
          out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
          out.write(planes);
        }
      }
    }
    return file;
  }

  /**
   * The face JPEG with a second frame header declaring {@code width}x{@code height} right after its
   * own: a check that reads only the first header lets the decoder allocate for the second.
   */
  public static byte[] faceJpegWithSecondFrameHeader(int width, int height) {
    byte[] jpeg = faceJpeg();
    int i = 2;
    while ((jpeg[i + 1] & 0xFF) != 0xC0) {
      i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
    }
    int end = i + 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
    byte[] second = java.util.Arrays.copyOfRange(jpeg, i, end);
    second[5] = (byte) (height >> 8);
    second[6] = (byte) height;
    second[7] = (byte) (width >> 8);
    second[8] = (byte) width;
    byte[] out = new byte[jpeg.length + second.length];
    System.arraycopy(jpeg, 0, out, 0, end);
    System.arraycopy(second, 0, out, end, second.length);
    System.arraycopy(jpeg, end, out, end + second.length, jpeg.length - end);
    return out;
  }
}
