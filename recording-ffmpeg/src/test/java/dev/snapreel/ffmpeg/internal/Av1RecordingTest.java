package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.sink.EncodingSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code codec=av1} records with SVT-AV1 (BSD licence, in the default LGPL natives): a constant
 * frame-rate MP4 whose every slot decodes, under a decoder that fails on any bitstream error, with
 * its keyframes on the output grid as random access points.
 */
class Av1RecordingTest {
  @TempDir
  Path dir;

  @Test
  void av1ResolvesToSvtAv1AndNeverToAnotherCodec() {
    assertThat(FfmpegCodecs.resolve("av1")).isEqualTo(new FfmpegCodecs.Choice("libsvtav1", "av1"));
    assertThat(FfmpegSinks.h264().validate(new EncodingSpec("av1", 320, 240, 30, 95, 2.0)))
        .isEqualTo("av1");
  }

  @Test
  void everySlotDecodesStrictlyWithKeyframesOnTheGrid() {
    int slots = 150; // 5 s at 30 FPS, a new picture every 6th slot
    EncodingSpec spec = new EncodingSpec("av1", 320, 240, 30, 95, 2.0);
    TestClips.Clip clip = TestClips.record(
        dir, spec, slots, s -> s % 6 == 0, n -> TestClips.movingSquare(320, 240, n));

    assertThat(clip.decoded().warnings()).as("decoder warnings").isEmpty();
    assertThat(clip.decoded().pictures()).hasSize(slots);
    assertThat(clip.decoded().packets()).hasSize(slots);
    for (int s = 0; s < slots; s++) {
      assertThat(clip.decoded().packets().get(s).key())
          .as("random access point at slot %d", s)
          .isEqualTo(s % 60 == 0);
      assertThat(clip.psnr(s)).as("PSNR-Y of slot %d", s).isGreaterThan(35);
    }
  }
}
