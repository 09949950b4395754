package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.ffmpeg.FfmpegSink;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.ffmpeg.H264Profile;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Duplicated slots of an H.264 recording are hand-made all-skip pictures: they must decode, under a
 * decoder that fails on any bitstream error, to exactly the picture they repeat, while keyframes
 * stay on the output grid and the encoder's own pictures still decode after them. Both entropy
 * coders: CABAC (high profile, the default) and CAVLC (constrained baseline).
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
  void theDefaultProfileIsHighWithCabacAndBaselineIsCavlc() {
    assertThat(entropyCodingModeFlag(FfmpegSinks.h264())).isEqualTo(1);
    assertThat(entropyCodingModeFlag(sink(H264Profile.HIGH))).isEqualTo(1);
    assertThat(entropyCodingModeFlag(sink(H264Profile.CONSTRAINED_BASELINE))).isEqualTo(0);
  }

  @ParameterizedTest
  @EnumSource(H264Profile.class)
  void duplicatesDecodeToExactCopiesAndKeyframesStayOnTheGrid(H264Profile profile) {
    // 5 FPS into 30 FPS, plus a 50-slot stall across the keyframe at slot 60.
    int slots = 200;
    IntPredicate unique = s -> s < 40 ? s % 6 == 0 : s >= 90 && s % 6 == 0;
    TestClips.Clip r =
        record(sink(profile), new EncodingSpec("h264", 320, 240, 30, 90, 2.0), slots, unique);

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

  @ParameterizedTest
  @EnumSource(H264Profile.class)
  void skipPicturesDecodeAtEveryQuantiser(H264Profile profile) {
    // The skip flag's CABAC context starts from the slice QP: below QP 21 its most probable symbol
    // is "not skipped", above it "skipped"; both starting points must give a valid stream.
    for (int quality : new int[] {1, 50, 80, 100}) {
      TestClips.Clip r = record(
          sink(profile), new EncodingSpec("h264", 352, 288, 30, quality, 2.0), 24, s -> s % 6 == 0);
      assertThat(r.decoded().warnings()).as("quality %d", quality).isEmpty();
      assertThat(r.decoded().pictures()).hasSize(24);
      for (int s = 1; s < 24; s++) {
        assertThat(Arrays.equals(
                r.decoded().pictures().get(s), r.decoded().pictures().get(s - 1)))
            .as("quality %d, slot %d repeats the previous slot", quality, s)
            .isEqualTo(s % 6 != 0);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(H264Profile.class)
  void frameNumbersWrapAroundWithoutBreakingTheStream(H264Profile profile) {
    // log2_max_frame_num is 15 in libopenh264's streams: 32768 pictures between keyframes wrap it.
    int slots = 33_000;
    TestClips.Clip r = record(
        sink(profile), new EncodingSpec("h264", 64, 48, 30, 50, 3600.0), slots, s -> s % 6 == 0);
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

  private TestClips.Clip record(FrameSink sink, EncodingSpec spec, int slots, IntPredicate unique) {
    return TestClips.record(
        sink,
        dir,
        spec,
        slots,
        unique,
        n -> TestClips.movingSquare(spec.width(), spec.height(), n));
  }

  private static FrameSink sink(H264Profile profile) {
    return FfmpegSink.builder().h264Profile(profile).build();
  }

  /** The PPS' entropy_coding_mode_flag of the sink's H.264 stream (1 = CABAC). */
  private int entropyCodingModeFlag(FrameSink sink) {
    EncodingSpec spec = new EncodingSpec("h264", 320, 240, 30, 90, 2.0);
    try (EncodingSession s = sink.open(spec, dir.resolve("pps-" + sink.hashCode() + ".mp4"))) {
      byte[] extradata = ((FfmpegEncodingSession) s).extradata();
      for (byte[] nal : H264Bits.splitAnnexB(extradata)) {
        if ((nal[0] & 0x1F) == 8) {
          H264Bits.Reader r = new H264Bits.Reader(H264Bits.unescape(nal));
          r.skip(8);
          r.ue(); // pic_parameter_set_id
          r.ue(); // seq_parameter_set_id
          return r.u1();
        }
      }
      throw new AssertionError("no PPS in the stream's parameter sets");
    }
  }
}
