package dev.snapreel.ffmpeg;

/**
 * The H.264 profile libopenh264 writes. Both play in every current browser; they differ in the
 * entropy coder, which changes only the file size.
 *
 * @since 0.1.0
 */
public enum H264Profile {
  /**
   * High profile with CABAC: about 5 % smaller than {@link #CONSTRAINED_BASELINE} at the same
   * picture (measured on real camera footage, see BENCHMARKS.md). The default.
   */
  HIGH("high"),
  /** Constrained baseline (CAVLC), for decoders that support nothing else (old embedded players). */
  CONSTRAINED_BASELINE("constrained_baseline");

  private final String ffmpegName;

  H264Profile(String ffmpegName) {
    this.ffmpegName = ffmpegName;
  }

  /** The value of libopenh264's {@code profile} option. */
  String ffmpegName() {
    return ffmpegName;
  }
}
