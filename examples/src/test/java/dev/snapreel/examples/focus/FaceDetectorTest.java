package dev.snapreel.examples.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.snapreel.InvalidFrameException;
import dev.snapreel.examples.TestFrames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaceDetectorTest {
  static FaceDetector detector;

  @BeforeAll
  static void load() {
    detector = FaceDetector.create(1);
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  @Test
  void findsACentredFaceOnAHalfSizeGreyFrame() {
    Detection d = detector.detect(TestFrames.faceJpeg());
    assertThat(d.facesDetected()).isEqualTo(1);
    assertThat(d.analysedWidth()).isEqualTo(TestFrames.WIDTH / 2);
    assertThat(d.analysedHeight()).isEqualTo(TestFrames.HEIGHT / 2);
    FaceBox face = d.mainFace();
    assertThat(face).isNotNull();
    assertThat(face.centerX()).isCloseTo(0.5, within(0.08));
    assertThat(face.centerY()).isCloseTo(0.5, within(0.12));
    assertThat(d.present()).isTrue();
    assertThat(d.centred()).isTrue();
  }

  @Test
  void aFaceAtTheEdgeIsPresentButNotCentred() {
    Detection d = detector.detect(TestFrames.jpeg(TestFrames.face(150, 240)));
    assertThat(d.facesDetected()).isEqualTo(1);
    assertThat(d.mainFace().centerX()).isLessThan(0.3);
    assertThat(d.present()).isTrue();
    assertThat(d.centred()).isFalse();
  }

  @Test
  void anEmptyRoomHasNoFace() {
    Detection d = detector.detect(TestFrames.emptyJpeg());
    assertThat(d.facesDetected()).isZero();
    assertThat(d.mainFace()).isNull();
    assertThat(d.present()).isFalse();
  }

  @Test
  void undecodableBytesAreInvalidFrames() {
    assertThatThrownBy(
            () -> detector.detect("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isInstanceOf(InvalidFrameException.class);
    assertThatThrownBy(() -> detector.detect(new byte[0]))
        .isInstanceOf(InvalidFrameException.class);
  }

  @Test
  void everyFrameHeaderIsCheckedAgainstThePixelLimitBeforeDecoding() {
    try (FaceDetector limited = FaceDetector.create(1, TestFrames.WIDTH * TestFrames.HEIGHT)) {
      assertThat(limited.detect(TestFrames.faceJpeg()).facesDetected()).isEqualTo(1);
      assertThatThrownBy(
              () -> limited.detect(TestFrames.faceJpegWithSecondFrameHeader(20000, 20000)))
          .isInstanceOf(InvalidFrameException.class)
          .hasMessageContaining("20000x20000 exceeds the limit of "
              + TestFrames.WIDTH * TestFrames.HEIGHT + " pixels");
      assertThatThrownBy(
              () -> limited.detect(TestFrames.jpeg(new org.bytedeco.opencv.opencv_core.Mat(
                  960,
                  1280,
                  org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                  new org.bytedeco.opencv.opencv_core.Scalar(90, 100, 110, 0)))))
          .isInstanceOf(InvalidFrameException.class)
          .hasMessageContaining("1280x960 exceeds");
    }
  }
}
