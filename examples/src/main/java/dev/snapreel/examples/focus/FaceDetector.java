package dev.snapreel.examples.focus;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import dev.snapreel.InvalidFrameException;
import dev.snapreel.Snapshot;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.jspecify.annotations.Nullable;

/**
 * Finds faces in JPEG/PNG snapshots with OpenCV's frontal-face Haar cascade, the one shipped inside
 * the OpenCV natives jar (no model download). Frames are decoded straight to a half- or
 * quarter-size grey image, which is all a cascade needs and much cheaper than a full colour decode.
 *
 * <p>Thread-safe: a {@code CascadeClassifier} is not, so a fixed pool of them is shared; a caller
 * waits only while every classifier is busy.
 */
public final class FaceDetector implements Closeable {
  /** Where the cascade lives inside {@code org.bytedeco:opencv:linux-x86_64}. */
  public static final String CASCADE_RESOURCE =
      "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

  /** Default largest frame for {@link #create()}, as {@code RecordingService}'s default: 4096x4096. */
  public static final long DEFAULT_MAX_FRAME_PIXELS = 4096L * 4096L;

  private final BlockingQueue<CascadeClassifier> pool;
  private final long maxFramePixels;
  private final List<CascadeClassifier> all = new ArrayList<>();
  private volatile boolean closed;

  private FaceDetector(Path cascade, int size, long maxFramePixels) {
    this.maxFramePixels = maxFramePixels;
    pool = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      CascadeClassifier c = new CascadeClassifier(cascade.toString());
      if (c.empty()) {
        c.close();
        all.forEach(CascadeClassifier::close);
        throw new IllegalStateException("OpenCV could not load the face cascade " + cascade);
      }
      all.add(c);
      pool.add(c);
    }
  }

  /** A detector with one classifier per available processor. */
  public static FaceDetector create() {
    return create(Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /** A detector able to analyse {@code parallelism} frames at a time. */
  public static FaceDetector create(int parallelism) {
    return create(parallelism, DEFAULT_MAX_FRAME_PIXELS);
  }

  /**
   * A detector able to analyse {@code parallelism} frames at a time that refuses, before decoding,
   * any image one of whose frame headers declares more than {@code maxFramePixels} pixels.
   */
  public static FaceDetector create(int parallelism, long maxFramePixels) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, was " + parallelism);
    }
    if (maxFramePixels < 1) {
      throw new IllegalArgumentException("maxFramePixels must be >= 1, was " + maxFramePixels);
    }
    // CascadeClassifier reads from a file, not a stream: extract the resource once.
    Path xml;
    try (InputStream in = FaceDetector.class.getResourceAsStream(CASCADE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("face cascade not on the classpath: " + CASCADE_RESOURCE
            + " (needs org.bytedeco:opencv with the linux-x86_64 classifier)");
      }
      xml = Files.createTempFile("snapreel-haarcascade-", ".xml");
      Files.copy(in, xml, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the face cascade", e);
    }
    try {
      return new FaceDetector(xml, parallelism, maxFramePixels);
    } finally {
      try {
        Files.deleteIfExists(xml); // loaded into memory; the file is no longer needed
      } catch (IOException e) {
        xml.toFile().deleteOnExit();
      }
    }
  }

  /**
   * Detects faces in an encoded image.
   *
   * @throws InvalidFrameException if the bytes are not a decodable JPEG/PNG, or any of its frame
   *     headers declares more than the detector's pixel limit (checked before decoding)
   */
  public Detection detect(byte[] encodedImage) {
    Snapshot header = Snapshot.encoded(encodedImage); // signature + every frame header, no decoding
    if (header.largestFramePixels() > maxFramePixels) {
      throw new InvalidFrameException("frame of " + header.largestFrameSize()
          + " exceeds the limit of " + maxFramePixels + " pixels");
    }
    // Big frames go to quarter size, small ones to half: the analysed image stays ~320 px wide.
    int flag = header.width() >= 1280 ? IMREAD_REDUCED_GRAYSCALE_4 : IMREAD_REDUCED_GRAYSCALE_2;
    CascadeClassifier classifier = borrow();
    try (BytePointer bytes = new BytePointer(encodedImage);
        Mat buffer = new Mat(1, encodedImage.length, CV_8UC1, bytes);
        Mat grey = imdecode(buffer, flag);
        RectVector faces = new RectVector()) {
      if (grey == null || grey.empty()) {
        throw new InvalidFrameException(
            "the frame could not be decoded (" + encodedImage.length + " bytes)");
      }
      equalizeHist(grey, grey);
      int w = grey.cols();
      int h = grey.rows();
      // A user in front of their camera: faces under 1/5 of the short side are not the subject, and
      // skipping the smallest scales saves ~30 % of the cascade's CPU (measured on the webcam
      // corpus).
      int minSide = Math.max(24, Math.min(w, h) / 5);
      try (Size min = new Size(minSide, minSide);
          Size max = new Size()) {
        classifier.detectMultiScale(grey, faces, 1.1, 4, 0, min, max);
      }
      return toDetection(faces, w, h);
    } finally {
      pool.add(classifier);
    }
  }

  /** How many frames it analyses at a time. */
  public int parallelism() {
    return all.size();
  }

  private static Detection toDetection(RectVector faces, int w, int h) {
    int count = (int) faces.size();
    @Nullable FaceBox main = null;
    long bestArea = -1;
    for (int i = 0; i < count; i++) {
      Rect r = faces.get(i);
      long area = (long) r.width() * r.height();
      if (area > bestArea) {
        bestArea = area;
        double x = clamp((double) r.x() / w);
        double y = clamp((double) r.y() / h);
        main = new FaceBox(
            x,
            y,
            Math.min((double) r.width() / w, 1 - x),
            Math.min((double) r.height() / h, 1 - y));
      }
    }
    return new Detection(count, main, w, h);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(0.999, v));
  }

  private CascadeClassifier borrow() {
    if (closed) {
      throw new IllegalStateException("face detector is closed");
    }
    try {
      return pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a face classifier", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    // Wait for frames being analysed: closing a classifier in use would crash the native code.
    for (int i = 0; i < all.size(); i++) {
      try {
        CascadeClassifier c = pool.poll(5, TimeUnit.SECONDS);
        if (c != null) {
          c.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
