package dev.snapreel.ffmpeg.internal;

/**
 * The H.264 CABAC arithmetic encoder (clause 9.3.4), just enough of it for {@link H264SkipPictures}:
 * context-coded decisions and the terminating bin, written through an {@link H264Bits.Writer} that
 * is byte-aligned when the engine starts (after {@code cabac_alignment_one_bit}).
 */
final class H264Cabac {
  /** Table 9-44: rangeTabLPS[pStateIdx][qCodIRangeIdx]. */
  private static final int[][] RANGE_LPS = {
    {128, 176, 208, 240}, {128, 167, 197, 227}, {128, 158, 187, 216}, {123, 150, 178, 205},
    {116, 142, 169, 195}, {111, 135, 160, 185}, {105, 128, 152, 175}, {100, 122, 144, 166},
    {95, 116, 137, 158}, {90, 110, 130, 150}, {85, 104, 123, 142}, {81, 99, 117, 135},
    {77, 94, 111, 128}, {73, 89, 105, 122}, {69, 85, 100, 116}, {66, 80, 95, 110},
    {62, 76, 90, 104}, {59, 72, 86, 99}, {56, 69, 81, 94}, {53, 65, 77, 89},
    {51, 62, 73, 85}, {48, 59, 69, 80}, {46, 56, 66, 76}, {43, 53, 63, 72},
    {41, 50, 59, 69}, {39, 48, 56, 65}, {37, 45, 54, 62}, {35, 43, 51, 59},
    {33, 41, 48, 56}, {32, 39, 46, 53}, {30, 37, 43, 50}, {29, 35, 41, 48},
    {27, 33, 39, 45}, {26, 31, 37, 43}, {24, 30, 35, 41}, {23, 28, 33, 39},
    {22, 27, 32, 37}, {21, 26, 30, 35}, {20, 24, 29, 33}, {19, 23, 27, 31},
    {18, 22, 26, 30}, {17, 21, 25, 28}, {16, 20, 23, 27}, {15, 19, 22, 25},
    {14, 18, 21, 24}, {14, 17, 20, 23}, {13, 16, 19, 22}, {12, 15, 18, 21},
    {12, 14, 17, 20}, {11, 14, 16, 19}, {11, 13, 15, 18}, {10, 12, 15, 17},
    {10, 12, 14, 16}, {9, 11, 13, 15}, {9, 11, 12, 14}, {8, 10, 12, 14},
    {8, 9, 11, 13}, {7, 9, 11, 12}, {7, 9, 10, 12}, {7, 8, 10, 11},
    {6, 8, 9, 11}, {6, 7, 9, 10}, {6, 7, 8, 9}, {2, 2, 2, 2},
  };

  /** Table 9-45: transIdxLPS (transIdxMPS is pStateIdx + 1, saturating at 62). */
  private static final int[] NEXT_LPS = {
    0, 0, 1, 2, 2, 4, 4, 5, 6, 7, 8, 9, 9, 11, 11, 12, 13, 13, 15, 15, 16, 16, 18, 18, 19, 19, 21,
    21, 22, 22, 23, 24, 24, 25, 26, 26, 27, 27, 28, 29, 29, 30, 30, 30, 31, 32, 32, 33, 33, 33, 34,
    34, 35, 35, 35, 36, 36, 36, 37, 37, 37, 38, 38, 63,
  };

  /** One context variable: a probability state and the most probable symbol. */
  static final class Context {
    private int state;
    private int mps;

    /** Clause 9.3.1.1: the context initialised from its (m, n) for the slice's QP. */
    Context(int m, int n, int sliceQp) {
      int pre = Math.max(1, Math.min(126, ((m * Math.max(0, Math.min(51, sliceQp))) >> 4) + n));
      if (pre <= 63) {
        state = 63 - pre;
        mps = 0;
      } else {
        state = pre - 64;
        mps = 1;
      }
    }
  }

  private final H264Bits.Writer out;
  private int low;
  private int range = 510;
  private boolean firstBit = true;
  private int outstanding;

  H264Cabac(H264Bits.Writer out) {
    if (!out.byteAligned()) {
      throw new IllegalArgumentException("CABAC slice data starts byte-aligned");
    }
    this.out = out;
  }

  /** Clause 9.3.4.2: one context-coded bin. */
  void decision(Context c, int bin) {
    int lps = RANGE_LPS[c.state][(range >> 6) & 3];
    range -= lps;
    if (bin == c.mps) {
      c.state = Math.min(c.state + 1, 62);
    } else {
      low += range;
      range = lps;
      if (c.state == 0) {
        c.mps = 1 - c.mps;
      }
      c.state = NEXT_LPS[c.state];
    }
    renormalize();
  }

  /**
   * Clause 9.3.4.5: a bin before termination ({@code end_of_slice_flag}); a 1 flushes the engine,
   * whose last bit written is the {@code rbsp_stop_one_bit}.
   */
  void terminate(int bin) {
    range -= 2;
    if (bin != 0) {
      low += range;
      range = 2;
      renormalize();
      putBit((low >> 9) & 1);
      out.u(2, ((low >> 7) & 3) | 1);
    } else {
      renormalize();
    }
  }

  private void renormalize() {
    while (range < 256) {
      if (low < 256) {
        putBit(0);
      } else if (low >= 512) {
        low -= 512;
        putBit(1);
      } else {
        low -= 256;
        outstanding++;
      }
      range <<= 1;
      low <<= 1;
    }
  }

  private void putBit(int bit) {
    if (firstBit) {
      firstBit = false;
    } else {
      out.u1(bit);
    }
    for (; outstanding > 0; outstanding--) {
      out.u1(1 - bit);
    }
  }
}
