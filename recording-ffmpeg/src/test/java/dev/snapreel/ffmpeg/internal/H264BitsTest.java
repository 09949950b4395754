package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class H264BitsTest {
  @Test
  void expGolombCodesReadBackWhatWasWritten() {
    long[] unsigned = {0, 1, 2, 3, 7, 8, 254, 255, 3600, 8159, 65535, 1_000_000};
    int[] signed = {0, 1, -1, 2, -2, 26, -26, 1000, -1000};
    H264Bits.Writer w = new H264Bits.Writer();
    for (long v : unsigned) {
      w.ue(v);
    }
    for (int v : signed) {
      w.se(v);
    }
    w.u(15, 12345).u1(1);
    H264Bits.Reader r = new H264Bits.Reader(w.trailingBits());
    for (long v : unsigned) {
      assertThat(r.ue()).isEqualTo(v);
    }
    for (int v : signed) {
      assertThat(r.se()).isEqualTo(v);
    }
    assertThat(r.u(15)).isEqualTo(12345);
    assertThat(r.u1()).isEqualTo(1);
    assertThat(r.u1()).as("rbsp_stop_one_bit").isEqualTo(1);
  }

  @Test
  void knownCodesMatchTheStandardsTable() {
    // ue(v) table 9-2: 0 -> 1, 1 -> 010, 2 -> 011, 3 -> 00100; se(v) table 9-3: -1 -> 011 (codeNum
    // 2)
    byte[] bits = new H264Bits.Writer().ue(0).ue(1).ue(2).ue(3).se(-1).trailingBits();
    // 1 010 011 00100 011, then the stop bit: 1010 0110 0100 0111, already byte aligned
    assertThat(bits).containsExactly(0xA6, 0x47);
  }

  @Test
  void emulationPreventionRoundTripsAndNeverLeavesAStartCode() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 2000; n++) {
      byte[] rbsp = new byte[random.nextInt(1, 64)];
      for (int i = 0; i < rbsp.length; i++) {
        rbsp[i] =
            (byte) (random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt(256)); // many 0..3
      }
      rbsp[rbsp.length - 1] = (byte) 0x80; // an RBSP ends with its stop bit
      byte[] escaped = H264Bits.escape(rbsp);
      assertThat(H264Bits.unescape(escaped)).containsExactly(rbsp);
      for (int i = 0; i + 2 < escaped.length; i++) {
        boolean forbidden = escaped[i] == 0 && escaped[i + 1] == 0 && (escaped[i + 2] & 0xFF) <= 2;
        assertThat(forbidden).as("00 00 0%d at %d", escaped[i + 2], i).isFalse();
      }
    }
  }

  @Test
  void escapingInsertsThreeAfterTwoZeros() {
    assertThat(H264Bits.escape(new byte[] {0, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 4}))
        .containsExactly(0, 0, 3, 1, 0, 0, 3, 0, 0, 3, 0, 3, 0, 0, 4);
  }

  @Test
  void splitsAnnexBStreamsWithThreeAndFourByteStartCodes() {
    byte[] stream = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5, 0};
    List<byte[]> units = H264Bits.splitAnnexB(stream);
    assertThat(units).hasSize(3);
    assertThat(units.get(0)).containsExactly(0x67, 1, 2);
    assertThat(units.get(1)).containsExactly(0x68, 3);
    assertThat(units.get(2)).containsExactly(0x65, 4, 5);
    assertThat(H264Bits.splitAnnexB(H264Bits.joinAnnexB(units)))
        .usingRecursiveComparison()
        .isEqualTo(units);
  }

  @Test
  void putOverwritesExactlyTheGivenBits() {
    byte[] rbsp = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    H264Bits.put(rbsp, 5, 9, 0b0_1010_0101);
    assertThat(rbsp).containsExactly(0b1111_1010, (byte) 0b1001_0111, (byte) 0xFF);
  }

  @Test
  void readingPastTheEndIsAnError() {
    H264Bits.Reader r = new H264Bits.Reader(new byte[] {0});
    assertThatThrownBy(r::ue).isInstanceOf(IllegalArgumentException.class);
  }
}
