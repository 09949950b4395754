package dev.snapreel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnapshotTest {
  @Test
  void recognisesAJpegAndReadsItsSizeFromTheFrameHeader() {
    byte[] jpeg = TestImages.jpeg(320, 240);

    Snapshot s = Snapshot.encoded(jpeg);

    assertThat(s.kind()).isEqualTo(Snapshot.Kind.JPEG);
    assertThat(s.width()).isEqualTo(320);
    assertThat(s.height()).isEqualTo(240);
    assertThat(s.data()).isSameAs(jpeg);
    assertThat(s.pixelFormat()).isNull();
    assertThat(s.captureNanos()).isEmpty();
  }

  @Test
  void findsTheFrameHeaderBehindOtherSegmentsAndFillBytes() {
    byte[] jpeg = TestImages.jpeg(64, 48);
    // SOI, then an APP1 segment (as cameras write EXIF) and a fill byte before the encoder's
    // segments.
    byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0, 8, 'E', 'x', 'i', 'f', 0, 0};
    byte[] fill = {(byte) 0xFF};
    byte[] withExif =
        concat(Arrays.copyOf(jpeg, 2), app1, fill, Arrays.copyOfRange(jpeg, 2, jpeg.length));

    Snapshot s = Snapshot.encoded(withExif);

    assertThat(s.width()).isEqualTo(64);
    assertThat(s.height()).isEqualTo(48);
  }

  @Test
  void everyFrameHeaderCountsTowardsTheLargestFrame() {
    Snapshot plain = Snapshot.encoded(TestImages.jpeg(64, 48));
    assertThat(plain.largestFramePixels()).isEqualTo(64 * 48);

    Snapshot crafted = Snapshot.encoded(TestImages.jpegWithSecondFrameHeader(64, 48, 20000, 20000));

    assertThat(crafted.width()).isEqualTo(64); // the first header still gives the size
    assertThat(crafted.largestFramePixels()).isEqualTo(20000L * 20000);
    assertThat(crafted.largestFrameSize()).isEqualTo("20000x20000");
    assertThat(Snapshot.encoded(TestImages.png(33, 17)).largestFramePixels()).isEqualTo(33 * 17);
  }

  @Test
  void recognisesAPngAndReadsItsSizeFromIhdr() {
    Snapshot s = Snapshot.encoded(TestImages.png(33, 17));

    assertThat(s.kind()).isEqualTo(Snapshot.Kind.PNG);
    assertThat(s.width()).isEqualTo(33);
    assertThat(s.height()).isEqualTo(17);
  }

  @Test
  void refusesEmptyBytes() {
    assertThatThrownBy(() -> Snapshot.encoded(new byte[0]))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void refusesBytesThatAreNeitherJpegNorPngAndShowsHowTheyStart() {
    assertThatThrownBy(() ->
            Snapshot.encoded("hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("neither JPEG nor PNG")
        .hasMessageContaining("12 bytes")
        .hasMessageContaining("68656c6c");
    assertThatThrownBy(() -> Snapshot.encoded(new byte[] {(byte) 0xFF}))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("neither JPEG nor PNG");
  }

  @Test
  void refusesAJpegCutOffBeforeItsFrameHeader() {
    byte[] jpeg = TestImages.jpeg(320, 240);
    int sof = indexOfMarker(jpeg, 0xC0);
    for (int length : new int[] {3, 4, 20, sof, sof + 6}) {
      byte[] truncated = Arrays.copyOf(jpeg, length);
      assertThatThrownBy(() -> Snapshot.encoded(truncated))
          .as("first %d bytes", length)
          .isInstanceOf(InvalidFrameException.class)
          .hasMessageContaining("truncated JPEG");
    }
  }

  @Test
  void refusesAJpegWhoseSegmentsDoNotChain() {
    byte[] jpeg = TestImages.jpeg(32, 32);
    byte[] broken = jpeg.clone();
    broken[2 + 2 + 16] = 0x00; // where the segment after APP0 should start with 0xFF

    assertThatThrownBy(() -> Snapshot.encoded(broken))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("corrupt JPEG")
        .hasMessageContaining("marker");
  }

  @Test
  void refusesAJpegWithImageDataBeforeAnyFrameHeader() {
    byte[] sosFirst = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0};

    assertThatThrownBy(() -> Snapshot.encoded(sosFirst))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("no frame header");
  }

  @Test
  void refusesAJpegThatDeclaresAZeroSize() {
    byte[] jpeg = TestImages.jpeg(32, 32);
    int sof = indexOfMarker(jpeg, 0xC0);
    jpeg[sof + 5] = 0;
    jpeg[sof + 6] = 0; // height 0

    assertThatThrownBy(() -> Snapshot.encoded(jpeg))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("frame size 32x0");
  }

  @Test
  void refusesAJpegCutOffInsideItsImageData() {
    byte[] jpeg = TestImages.jpeg(64, 64);

    assertThatThrownBy(() -> Snapshot.encoded(Arrays.copyOf(jpeg, jpeg.length - 2)))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("truncated JPEG")
        .hasMessageContaining("end-of-image");
    int sos = indexOfMarker(jpeg, 0xDA);
    assertThatThrownBy(() -> Snapshot.encoded(Arrays.copyOf(jpeg, sos + 5)))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("truncated JPEG");
  }

  @Test
  void refusesAJpegWithAStrayMarkerInItsHeaders() {
    byte[] jpeg = TestImages.jpeg(32, 32);
    int sos = indexOfMarker(jpeg, 0xDA);
    byte[] broken = concat(
        Arrays.copyOf(jpeg, sos),
        new byte[] {(byte) 0xFF, 0x10},
        Arrays.copyOfRange(jpeg, sos, jpeg.length));

    assertThatThrownBy(() -> Snapshot.encoded(broken))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("invalid marker FF10");
  }

  @Test
  void acceptsBytesAfterTheEndOfImage() {
    byte[] jpeg = TestImages.jpeg(32, 32);

    assertThat(Snapshot.encoded(concat(jpeg, new byte[] {1, 2, 3})).width()).isEqualTo(32);
  }

  @Test
  void refusesAPngCutOffBeforeItsEnd() {
    byte[] png = TestImages.png(40, 40);

    assertThatThrownBy(() -> Snapshot.encoded(Arrays.copyOf(png, png.length - 1)))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("truncated PNG")
        .hasMessageContaining("IEND");
  }

  @Test
  void refusesAPngCutOffBeforeIhdr() {
    byte[] png = TestImages.png(10, 10);

    assertThatThrownBy(() -> Snapshot.encoded(Arrays.copyOf(png, 20)))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("truncated PNG");
  }

  @Test
  void refusesAPngWithANegativeSize() {
    byte[] png = TestImages.png(10, 10);
    png[16] = (byte) 0x80; // width >= 2^31: negative as a Java int

    assertThatThrownBy(() -> Snapshot.encoded(png))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("corrupt PNG");
  }

  @Test
  void acceptsRawPixelsOfExactlyTheRightLength() {
    Snapshot bgr = Snapshot.raw(4, 2, PixelFormat.BGR24, new byte[4 * 2 * 3]);
    Snapshot gray = Snapshot.raw(4, 2, PixelFormat.GRAY8, new byte[8]);

    assertThat(bgr.kind()).isEqualTo(Snapshot.Kind.RAW);
    assertThat(bgr.pixelFormat()).isEqualTo(PixelFormat.BGR24);
    assertThat(bgr.width()).isEqualTo(4);
    assertThat(gray.height()).isEqualTo(2);
  }

  @Test
  void refusesRawPixelsWhoseLengthDoesNotMatchTheSize() {
    assertThatThrownBy(() -> Snapshot.raw(4, 2, PixelFormat.RGB24, new byte[23]))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessage("raw RGB24 snapshot 4x2 needs 24 bytes, got 23");
    assertThatThrownBy(() -> Snapshot.raw(0, 2, PixelFormat.GRAY8, new byte[0]))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("0x2 is not positive");
  }

  @Test
  void rawSizeArithmeticDoesNotOverflow() {
    // 65536 * 65536 * 3 overflows an int; the check must still fail cleanly.
    assertThatThrownBy(() -> Snapshot.raw(65536, 65536, PixelFormat.BGR24, new byte[0]))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("needs 12884901888 bytes");
  }

  @Test
  void captureTimeStampsACopy() {
    Snapshot plain = Snapshot.encoded(TestImages.jpeg(16, 16));

    Snapshot stamped = plain.capturedAt(123_456_789L);

    assertThat(stamped.captureNanos()).hasValue(123_456_789L);
    assertThat(plain.captureNanos()).isEmpty();
    assertThat(stamped.data()).isSameAs(plain.data());
    assertThat(stamped.width()).isEqualTo(16);
    assertThat(stamped.kind()).isEqualTo(Snapshot.Kind.JPEG);
  }

  private static int indexOfMarker(byte[] b, int marker) {
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(marker));
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
