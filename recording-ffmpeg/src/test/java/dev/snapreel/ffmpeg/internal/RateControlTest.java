package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.RecordingOptions;
import dev.snapreel.sink.EncodingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quality is a visual target that holds whatever the frame rate and the share of repeated slots, and
 * a bit-rate cap holds over real time with skip pictures: measured by decoding the recordings back.
 */
class RateControlTest {
  private static final int W = 320;
  private static final int H = 240;
  private static final int DEFAULT_QUALITY = RecordingOptions.defaults().quality();

  @TempDir
  Path dir;

  /** 5 FPS snapshots of a textured, noisy, moving scene on a 30 FPS grid, for {@code seconds}. */
  private TestClips.Clip clip(EncodingSpec spec, double seconds, int slotsPerSnapshot, int noise)
      throws Exception {
    Path d = Files.createTempDirectory(dir, "clip");
    int slots = (int) Math.round(seconds * spec.fps());
    return TestClips.record(
        d,
        spec,
        slots,
        s -> s % slotsPerSnapshot == 0,
        n -> TestClips.noisyTexture(W, H, n, noise));
  }

  @Test
  void defaultQualityKeepsTexturedNoisyFootageAbove40Db() throws Exception {
    TestClips.Clip clip = clip(new EncodingSpec("h264", W, H, 30, DEFAULT_QUALITY, 2.0), 4, 6, 8);

    assertThat(clip.decoded().warnings()).isEmpty();
    assertThat(clip.meanPsnr()).as("mean PSNR-Y at quality %d", DEFAULT_QUALITY).isGreaterThan(40);
    for (int s = 0; s < clip.sources().size(); s++) {
      assertThat(clip.psnr(s)).as("PSNR-Y of slot %d", s).isGreaterThan(38);
    }
  }

  @Test
  void lowerQualityGivesASmallerFileAndALowerPsnr() throws Exception {
    TestClips.Clip q60 = clip(new EncodingSpec("h264", W, H, 30, 60, 2.0), 4, 6, 8);
    TestClips.Clip q95 = clip(new EncodingSpec("h264", W, H, 30, 95, 2.0), 4, 6, 8);

    assertThat(q60.fileBytes()).isLessThan(q95.fileBytes() * 3 / 4);
    assertThat(q60.meanPsnr()).isLessThan(q95.meanPsnr() - 3);
  }

  @Test
  void mpeg4QualityIsAFixedQuantiserToo() throws Exception {
    TestClips.Clip q60 = clip(new EncodingSpec("mpeg4", W, H, 30, 60, 2.0), 2, 6, 8);
    TestClips.Clip q95 = clip(new EncodingSpec("mpeg4", W, H, 30, 95, 2.0), 2, 6, 8);

    assertThat(q60.fileBytes()).isLessThan(q95.fileBytes() / 2);
    assertThat(q60.meanPsnr()).isLessThan(q95.meanPsnr() - 2);
  }

  /**
   * AV1's CRF is calibrated on real footage to the PSNR of H.264 at the same quality (BENCHMARKS.md);
   * on this synthetic sensor noise SVT-AV1 smooths more (about 5 dB below H.264's 43.9 here), so the
   * floor is lower than H.264's 40 dB.
   */
  @Test
  void av1QualityIsACrf() throws Exception {
    TestClips.Clip q60 = clip(new EncodingSpec("av1", W, H, 30, 60, 2.0), 2, 6, 8);
    TestClips.Clip q95 = clip(new EncodingSpec("av1", W, H, 30, DEFAULT_QUALITY, 2.0), 2, 6, 8);

    assertThat(q95.decoded().warnings()).isEmpty();
    assertThat(q95.meanPsnr())
        .as("AV1 mean PSNR-Y at quality %d", DEFAULT_QUALITY)
        .isGreaterThan(36);
    assertThat(q60.fileBytes()).isLessThan(q95.fileBytes() * 3 / 4);
    assertThat(q60.meanPsnr()).isLessThan(q95.meanPsnr() - 2);
  }

  @Test
  void qualityDoesNotDependOnTheFrameRateOrOnHowManySlotsRepeat() throws Exception {
    // The same 20 snapshots: 5 per second on 30 FPS and on 60 FPS, and 10 per second on 30 FPS.
    TestClips.Clip at30 = clip(new EncodingSpec("h264", W, H, 30, 80, 2.0), 4, 6, 8);
    TestClips.Clip at60 = clip(new EncodingSpec("h264", W, H, 60, 80, 2.0), 4, 12, 8);
    TestClips.Clip fast = clip(new EncodingSpec("h264", W, H, 30, 80, 2.0), 2, 3, 8);

    assertThat(at60.meanPsnr())
        .isCloseTo(at30.meanPsnr(), org.assertj.core.data.Offset.offset(0.5));
    assertThat(fast.meanPsnr())
        .isCloseTo(at30.meanPsnr(), org.assertj.core.data.Offset.offset(0.5));
  }

  @Test
  void bitRateCapHoldsOverRealTimeWithSkipPictures() throws Exception {
    long cap = 400_000;
    EncodingSpec spec = new EncodingSpec("h264", W, H, 30, DEFAULT_QUALITY, 2.0, cap);
    TestClips.Clip uncapped = clip(spec.withMaxBitrate(0), 4, 6, 24);
    assertThat(uncapped.videoBitrate())
        .as("the content needs more than the cap")
        .isGreaterThan(2.0 * cap);

    TestClips.Clip capped = clip(spec, 20, 6, 24);

    assertThat(capped.decoded().warnings()).isEmpty();
    assertThat(capped.decoded().pictures()).hasSize(600);
    assertThat(capped.videoBitrate())
        .as("bits per second over 20 s")
        .isBetween(0.85 * cap, 1.15 * cap);
    long skips = capped.decoded().packets().stream().filter(p -> p.size() < 16).count();
    assertThat(skips).as("repeated slots are still skip pictures").isGreaterThanOrEqualTo(480);
  }

  @Test
  void bitRateCapHoldsWhenSnapshotsComeFasterThanTheEncoderWasTold() throws Exception {
    long cap = 400_000;
    // 15 snapshots per second, three times the rate the encoder's rate control assumes.
    TestClips.Clip capped =
        clip(new EncodingSpec("h264", W, H, 30, DEFAULT_QUALITY, 2.0, cap), 20, 2, 24);

    assertThat(capped.decoded().warnings()).isEmpty();
    assertThat(capped.decoded().pictures()).hasSize(600);
    assertThat(capped.videoBitrate()).isBetween(0.85 * cap, 1.15 * cap);
  }

  @Test
  void pureRandomNoiseThatCannotFitAtTheFixedQpStillRecordsAndDecodesStrictly() throws Exception {
    // Random bytes at QP 16 need more than a raw picture, which openh264 cannot write: the session
    // reopens it with the QP free to rise, and the stream goes on (IDR, same parameter sets).
    java.util.function.IntFunction<java.awt.image.BufferedImage> noise = n -> {
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(W, H, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
      new java.util.Random(n)
          .nextBytes(((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData());
      return image;
    };
    TestClips.Clip clip = TestClips.record(
        dir, new EncodingSpec("h264", W, H, 30, DEFAULT_QUALITY, 2.0), 90, s -> s % 6 == 0, noise);

    assertThat(clip.decoded().warnings()).isEmpty();
    assertThat(clip.decoded().pictures()).hasSize(90);
    for (int s = 1; s < 90; s++) {
      if (s % 6 != 0 && s % 60 != 0) {
        assertThat(java.util.Arrays.equals(
                clip.decoded().pictures().get(s), clip.decoded().pictures().get(s - 1)))
            .as("slot %d repeats slot %d", s, s - 1)
            .isTrue();
      }
    }
    assertThat(clip.psnr(84)).as("a picture encoded after the reopening").isGreaterThan(12);
  }

  @Test
  void theLevelFitsTheGridRateNotTheRateTheEncoderWasTold() {
    assertThat(H264Level.required(640, 480, 5, 400_000)).isEqualTo(22);
    assertThat(H264Level.required(640, 480, 30, 400_000)).isEqualTo(30);
    assertThat(H264Level.required(1280, 720, 30, 2_000_000)).isEqualTo(31);
    assertThat(H264Level.required(1920, 1080, 30, 2_000_000)).isEqualTo(40);
  }

  @Test
  void qualityMapsMonotonicallyToQuantisers() {
    assertThat(RateControl.openh264Qp(DEFAULT_QUALITY)).isEqualTo(16);
    for (int q = 2; q <= 100; q++) {
      assertThat(RateControl.openh264Qp(q)).isLessThanOrEqualTo(RateControl.openh264Qp(q - 1));
      assertThat(RateControl.x264Crf(q)).isLessThanOrEqualTo(RateControl.x264Crf(q - 1));
      assertThat(RateControl.mpeg4Qscale(q)).isLessThanOrEqualTo(RateControl.mpeg4Qscale(q - 1));
      assertThat(RateControl.svtav1Crf(q)).isLessThanOrEqualTo(RateControl.svtav1Crf(q - 1));
    }
    assertThat(RateControl.openh264Qp(50)).isGreaterThan(RateControl.openh264Qp(80));
    assertThat(RateControl.openh264Qp(80)).isGreaterThan(RateControl.openh264Qp(95));
    assertThat(RateControl.openh264Qp(95)).isGreaterThan(RateControl.openh264Qp(100));
  }
}
