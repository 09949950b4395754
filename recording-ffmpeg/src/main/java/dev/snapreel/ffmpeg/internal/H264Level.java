package dev.snapreel.ffmpeg.internal;

import org.bytedeco.javacpp.BytePointer;

/**
 * H.264 levels (Table A-1). libopenh264 picks the level from the frame rate it is told; when that is
 * the snapshot rate (see {@link RateControl}), the level may be too low for the stream's real frame
 * rate (640x480 at 5 FPS is level 2.2, at 30 FPS 3.0), so the SPS's {@code level_idc} is raised.
 */
final class H264Level {
  // level_idc, MaxMBPS (macroblocks/s), MaxFS (macroblocks), MaxBR (kbit/s, Baseline)
  private static final int[][] LEVELS = {
    {10, 1485, 99, 64},
    {11, 3000, 396, 192},
    {12, 6000, 396, 384},
    {13, 11880, 396, 768},
    {20, 11880, 396, 2000},
    {21, 19800, 792, 4000},
    {22, 20250, 1620, 4000},
    {30, 40500, 1620, 10000},
    {31, 108000, 3600, 14000},
    {32, 216000, 5120, 20000},
    {40, 245760, 8192, 20000},
    {41, 245760, 8192, 50000},
    {42, 522240, 8704, 50000},
    {50, 589824, 22080, 135000},
    {51, 983040, 36864, 240000},
    {52, 2073600, 36864, 240000},
  };

  private H264Level() {}

  /** The lowest level_idc allowing this size, frame rate and bit rate (52 if none does). */
  static int required(int width, int height, double fps, long bitsPerSecond) {
    long mbs = (long) ((width + 15) / 16) * ((height + 15) / 16);
    for (int[] l : LEVELS) {
      if (mbs <= l[2] && mbs * fps <= l[1] && bitsPerSecond <= l[3] * 1000L) {
        return l[0];
      }
    }
    return 52;
  }

  /** Raises the level_idc of the SPS in Annex B {@code extradata} to at least the required one. */
  static void raise(
      BytePointer extradata, int size, int width, int height, double fps, long bitsPerSecond) {
    int required = required(width, height, fps, bitsPerSecond);
    for (int i = 0; i + 7 < size; i++) {
      if (extradata.get(i) == 0
          && extradata.get(i + 1) == 0
          && extradata.get(i + 2) == 1
          && (extradata.get(i + 3) & 0x1F) == 7) {
        // nal header, profile_idc, constraint flags, level_idc: no emulation prevention can occur
        // before level_idc since profile_idc is not zero.
        int level = extradata.get(i + 6) & 0xFF;
        if (level < required) {
          extradata.put(i + 6, (byte) required);
        }
        return;
      }
    }
  }
}
