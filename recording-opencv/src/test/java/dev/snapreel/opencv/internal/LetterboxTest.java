package dev.snapreel.opencv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.snapreel.InvalidFrameException;
import dev.snapreel.PixelFormat;
import dev.snapreel.Snapshot;
import dev.snapreel.testkit.SnapshotImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The OpenCV half of {@code prepare}: decode, convert to BGR, scale to fit, letterbox. */
class LetterboxTest {
  private final Letterbox letterbox = new Letterbox(320, 240);

  @Test
  void jpegOfTheRecordingSizeIsDecodedAsIs() {
    try (Mat frame = letterbox.toFrame(SnapshotImages.gray(320, 240, 150, ""))) {
      assertThat(frame.cols()).isEqualTo(320);
      assertThat(frame.rows()).isEqualTo(240);
      assertThat(frame.channels()).isEqualTo(3);
      assertBgr(frame, 120, 160, 150, 150, 150);
    }
  }

  @Test
  void wideSnapshotIsScaledToTheWidthWithBlackBarsAboveAndBelow() {
    try (Mat frame = letterbox.toFrame(SnapshotImages.gray(1280, 720, 230, ""))) {
      assertThat(frame.cols()).isEqualTo(320);
      assertThat(frame.rows()).isEqualTo(240);
      // 1280x720 -> 320x180, centred: rows 30..209 are the picture.
      assertBgr(frame, 10, 160, 0, 0, 0);
      assertBgr(frame, 29, 160, 0, 0, 0);
      assertBgr(frame, 31, 160, 230, 230, 230);
      assertBgr(frame, 120, 2, 230, 230, 230);
      assertBgr(frame, 208, 160, 230, 230, 230);
      assertBgr(frame, 211, 160, 0, 0, 0);
    }
  }

  @Test
  void tallSnapshotIsScaledToTheHeightWithBlackBarsLeftAndRight() {
    try (Mat frame = letterbox.toFrame(SnapshotImages.gray(60, 120, 230, ""))) {
      // 60x120 -> 120x240, centred: columns 100..219 are the picture.
      assertBgr(frame, 120, 50, 0, 0, 0);
      assertBgr(frame, 120, 98, 0, 0, 0);
      assertBgr(frame, 120, 160, 230, 230, 230);
      assertBgr(frame, 2, 160, 230, 230, 230);
      assertBgr(frame, 120, 222, 0, 0, 0);
    }
  }

  @Test
  void rawFormatsAreConvertedToBgr() {
    try (Mat rgb =
            letterbox.toFrame(SnapshotImages.rawFilled(320, 240, PixelFormat.RGB24, 200, 10, 30));
        Mat bgr =
            letterbox.toFrame(SnapshotImages.rawFilled(160, 120, PixelFormat.BGR24, 200, 10, 30));
        Mat gray =
            letterbox.toFrame(SnapshotImages.rawFilled(320, 240, PixelFormat.GRAY8, 77, 77, 77))) {
      assertBgr(rgb, 100, 100, 30, 10, 200);
      assertBgr(bgr, 100, 100, 30, 10, 200);
      assertBgr(gray, 100, 100, 77, 77, 77);
    }
  }

  @Test
  void pngAndColourJpegAreDecodedInBgrOrder() throws Exception {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(new Color(10, 20, 240));
    g.fillRect(0, 0, 320, 240);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    try (Mat fromPng = letterbox.toFrame(Snapshot.encoded(png.toByteArray()));
        Mat fromJpeg = letterbox.toFrame(
            Snapshot.encoded(SnapshotImages.jpeg(320, 240, new Color(240, 20, 10), "")))) {
      assertBgr(fromPng, 120, 160, 240, 20, 10);
      assertBgr(fromJpeg, 120, 160, 10, 20, 240);
    }
  }

  @Test
  void snapshotWithoutImageDataIsAnInvalidFrame() {
    Snapshot corrupt = Snapshot.encoded(SnapshotImages.corruptJpeg(320, 240));
    assertThatThrownBy(() -> letterbox.toFrame(corrupt))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("cannot decode");
  }

  private static void assertBgr(Mat frame, int row, int col, int blue, int green, int red) {
    try (UByteIndexer px = frame.createIndexer()) {
      int tol = 8; // JPEG rounding
      assertThat(px.get(row, col, 0)).as("blue at %d,%d", row, col).isCloseTo(blue, within(tol));
      assertThat(px.get(row, col, 1)).as("green at %d,%d", row, col).isCloseTo(green, within(tol));
      assertThat(px.get(row, col, 2)).as("red at %d,%d", row, col).isCloseTo(red, within(tol));
    }
  }
}
