package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duplicated slots of an H.264 recording are hand-made all-skip pictures: they must decode, under a
 * decoder that fails on any bitstream error, to exactly the picture they repeat, while keyframes
 * stay on the output grid and the encoder's own pictures still decode after them.
 */
class H264SkipPicturesTest {
  @TempDir
  Path dir;

  @Test
  void openh264StreamsWriteDuplicatesAsSkipPicturesOtherCodecsEncodeThem() {
    EncodingSpec h264 = new EncodingSpec("h264", 320, 240, 30, 90, 2.0);
    EncodingSpec mpeg4 = new EncodingSpec("mpeg4", 320, 240, 30, 90, 2.0);
    try (EncodingSession a = FfmpegSinks.h264().open(h264, dir.resolve("a.mp4"));
        EncodingSession b = FfmpegSinks.h264().open(mpeg4, dir.resolve("b.mp4"))) {
      assertThat(((FfmpegEncodingSession) a).skipsDuplicates()).isTrue();
      assertThat(((FfmpegEncodingSession) b).skipsDuplicates()).isFalse();
    }
  }

  @Test
  void duplicatesDecodeToExactCopiesAndKeyframesStayOnTheGrid() {
    // 5 FPS into 30 FPS, plus a 50-slot stall across the keyframe at slot 60.
    int slots = 200;
    IntPredicate unique = s -> s < 40 ? s % 6 == 0 : s >= 90 && s % 6 == 0;
    TestClips.Clip r = record(new EncodingSpec("h264", 320, 240, 30, 90, 2.0), slots, unique);

    assertThat(r.decoded().warnings()).as("decoder warnings").isEmpty();
    assertThat(r.decoded().pictures()).hasSize(slots);
    assertThat(r.decoded().packets()).hasSize(slots);
    for (int s = 0; s < slots; s++) {
      StrictDecode.Packet p = r.decoded().packets().get(s);
      assertThat(p.key()).as("keyframe at slot %d", s).isEqualTo(s % 60 == 0);
      if (!unique.test(s) && s % 60 != 0) {
        assertThat(p.size()).as("skip picture size at slot %d", s).isLessThan(16);
      }
      if (s > 0 && !unique.test(s) && s % 60 != 0) {
        assertThat(Arrays.equals(
                r.decoded().pictures().get(s), r.decoded().pictures().get(s - 1)))
            .as("slot %d repeats slot %d exactly", s, s - 1)
            .isTrue();
      }
      if (s % 60 == 0) {
        assertThat(r.psnr(s))
            .as("keyframe at slot %d is encoded, not skipped", s)
            .isGreaterThan(30);
      }
      if (s > 0 && unique.test(s)) {
        assertThat(Arrays.equals(
                r.decoded().pictures().get(s), r.decoded().pictures().get(s - 1)))
            .as("slot %d is a new picture", s)
            .isFalse();
      }
    }
    // The encoder's pictures after skips are predicted from the skip pictures: still close to
    // their source (a numbering error would make them reference garbage or fail to decode).
    for (int s : new int[] {6, 12, 96, 150, 198}) {
      if (unique.test(s)) {
        assertThat(r.psnr(s)).as("PSNR of slot %d", s).isGreaterThan(30);
      }
    }
  }

  @Test
  void frameNumbersWrapAroundWithoutBreakingTheStream() {
    // log2_max_frame_num is 15 in libopenh264's streams: 32768 pictures between keyframes wrap it.
    int slots = 33_000;
    TestClips.Clip r =
        record(new EncodingSpec("h264", 64, 48, 30, 50, 3600.0), slots, s -> s % 6 == 0);
    assertThat(r.decoded().warnings()).isEmpty();
    assertThat(r.decoded().pictures()).hasSize(slots);
    assertThat(r.decoded().packets().stream().filter(StrictDecode.Packet::key).count())
        .isEqualTo(1);
    for (int s = 32_760; s < 32_790; s++) {
      boolean same =
          Arrays.equals(r.decoded().pictures().get(s), r.decoded().pictures().get(s - 1));
      assertThat(same).as("slot %d", s).isEqualTo(s % 6 != 0);
    }
    assertThat(r.psnr(32_790)).isGreaterThan(30);
  }

  private TestClips.Clip record(EncodingSpec spec, int slots, IntPredicate unique) {
    return TestClips.record(
        dir, spec, slots, unique, n -> TestClips.movingSquare(spec.width(), spec.height(), n));
  }
}
