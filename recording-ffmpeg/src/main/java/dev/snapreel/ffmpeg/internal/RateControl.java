package dev.snapreel.ffmpeg.internal;

import dev.snapreel.sink.EncodingSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How {@code quality} (1..100) and the optional bit-rate cap become encoder settings. Quality is a
 * visual-quality target that does not depend on the frame rate or on how many output slots repeat a
 * snapshot, so it is a quantiser, not a bit rate:
 *
 * <ul>
 *   <li>{@code libopenh264}: a fixed QP ({@code qmin = qmax =} {@link #openh264Qp}); with a cap, QP
 *       may rise from there to 51 and openh264's bit-rate mode holds the cap per encoded picture.
 *       Duplicated slots are skip pictures, so the encoder only sees the unique snapshots: its
 *       frame rate ({@code fMaxFrameRate}, the only clock FFmpeg's wrapper gives it; it passes no
 *       timestamps) is set to the rate at which it gets pictures, {@link #EXPECTED_PICTURE_RATE}, so
 *       its per-picture budget is cap / that rate. The session backs this up over real time: see
 *       {@link RealTimeCap}.
 *   <li>{@code libx264}: CRF {@link #x264Crf}; a cap is x264's VBV ({@code maxrate}, 2 s buffer). It
 *       encodes every slot, so its clock is the output grid.
 *   <li>{@code mpeg4}: a fixed {@code qscale} {@link #mpeg4Qscale}; with a cap, bit-rate mode at the
 *       cap with {@code qmin} at that qscale.
 *   <li>{@code libsvtav1}: CRF {@link #svtav1Crf} at preset {@link #SVTAV1_PRESET}, in
 *       SVT-AV1's default random-access structure (hidden reference frames shown later; its
 *       low-delay structure measured 45 % larger at a lower PSNR on real footage); a cap is its
 *       capped CRF. It encodes every slot (repeats are near-empty inter frames), so its clock is the
 *       output grid.
 * </ul>
 */
public final class RateControl {
  /**
   * The snapshot rate the encoder is told when only unique snapshots reach it (clients send about 5
   * per second). Only used when a cap is set; without one the QP is fixed and no rate matters.
   */
  public static final double EXPECTED_PICTURE_RATE = 5.0;

  /**
   * Encoder options (for {@code avcodec_open2}), the frame rate the encoder's rate control uses, and
   * the options to reopen it with if it fails on a picture it cannot fit (null: no second try).
   */
  public record Settings(
      Map<String, String> options,
      double encoderFps,
      @Nullable Map<String, String> fallback) {}

  private RateControl() {}

  /**
   * Settings for {@code encoder} (an FFmpeg encoder name) and {@code spec}; {@code skipsDuplicates}
   * says whether repeated slots bypass the encoder.
   */
  public static Settings of(String encoder, EncodingSpec spec, boolean skipsDuplicates) {
    Map<String, String> o = new LinkedHashMap<>();
    long cap = spec.maxBitrate();
    double encoderFps = spec.fps();
    @Nullable Map<String, String> fallback = null;
    switch (encoder) {
      case "libopenh264" -> {
        int qp = openh264Qp(spec.quality());
        o.put("qmin", Integer.toString(qp));
        if (cap > 0) {
          o.put("rc_mode", "bitrate");
          o.put("qmax", "51");
          o.put("b", Long.toString(cap));
          if (skipsDuplicates) {
            encoderFps = Math.min(spec.fps(), EXPECTED_PICTURE_RATE);
          }
        } else {
          o.put("rc_mode", "quality");
          o.put("qmax", Integer.toString(qp));
          o.put("b", Long.toString(rawBudget(spec))); // only the SPS level reads it at a fixed QP
          // openh264 cannot write a picture larger than a raw one, and fails (shutting itself down)
          // on
          // pure random noise at a low QP. The session then reopens it with the QP free to rise
          // under
          // a budget of half a raw picture per slot, which its per-row rate control holds.
          fallback = new LinkedHashMap<>(o);
          fallback.put("qmax", "51");
        }
      }
      case "libx264" -> {
        o.put("crf", Integer.toString(x264Crf(spec.quality())));
        if (cap > 0) {
          o.put("maxrate", Long.toString(cap));
          o.put("bufsize", Long.toString(2 * cap));
        }
      }
      case "mpeg4" -> {
        int qscale = mpeg4Qscale(spec.quality());
        if (cap > 0) {
          o.put("b", Long.toString(cap));
          o.put("maxrate", Long.toString(cap));
          o.put("bufsize", Long.toString(2 * cap));
          o.put("qmin", Integer.toString(qscale));
        } else {
          o.put("flags", "+qscale");
          o.put("global_quality", Integer.toString(qscale * LAMBDA));
        }
      }
      case "libsvtav1" -> {
        o.put("crf", Integer.toString(svtav1Crf(spec.quality())));
        o.put("preset", Integer.toString(SVTAV1_PRESET));

        if (cap > 0) {
          o.put("maxrate", Long.toString(cap));
          o.put("bufsize", Long.toString(2 * cap));
        }
      }
      default -> {
        if (cap > 0) {
          o.put("b", Long.toString(cap));
        }
      }
    }
    return new Settings(o, encoderFps, fallback);
  }

  /**
   * SVT-AV1 preset for recording: 0 is slowest, 13 fastest. 10 keeps a 720p session well inside one
   * core at 30 FPS (see BENCHMARKS.md).
   */
  public static final int SVTAV1_PRESET = 10;

  /** FFmpeg's {@code FF_QP2LAMBDA}: {@code global_quality} is a qscale times this. */
  private static final int LAMBDA = 118;

  /**
   * libopenh264 QP for a quality: 47.5 - 0.33 x quality, rounded (q 100 → 15, 95 → 16, 80 → 21, 50 →
   * 31, 1 → 47). Chosen so the default (95) gives at least 40 dB PSNR-Y on real camera footage:
   * openh264 as FFmpeg drives it (background detection always on) stops gaining on noisy footage
   * near 40-41 dB, so the top of the scale is steep. See BENCHMARKS.md for the measured table.
   */
  public static int openh264Qp(int quality) {
    return clamp((int) Math.round(47.5 - 0.33 * quality), 12, 51);
  }

  /** x264 CRF for a quality: 45 - 27 x quality / 100, rounded (q 95 → 19, 80 → 23, 50 → 32). */
  public static int x264Crf(int quality) {
    return (int) Math.round(45 - 27 * (quality / 100.0));
  }

  /**
   * SVT-AV1 CRF (1..63) for a quality: 71 - 0.4 x quality, rounded (q 95 → 33, 80 → 39, 50 → 51).
   * Calibrated so that a quality looks about the same in AV1 as in H.264: on real camera footage AV1
   * at q95 measures about the PSNR-Y of libopenh264 at q95 (BENCHMARKS.md), in fewer bits.
   */
  public static int svtav1Crf(int quality) {
    return clamp((int) Math.round(71 - 0.4 * quality), 1, 63);
  }

  /** MPEG-4 Part 2 qscale (2..31) for a quality: 2 + 29 x (100 - quality) / 99, rounded. */
  public static int mpeg4Qscale(int quality) {
    return clamp((int) Math.round(2 + 29 * (100 - quality) / 99.0), 2, 31);
  }

  /** Half a raw yuv420p picture (12 bits per pixel) per output slot, in bits per second. */
  static long rawBudget(EncodingSpec spec) {
    return Math.round(spec.width() * (double) spec.height() * 6 * spec.fps());
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
