package dev.snapreel;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What to record: output frame rate, frame size, codec and quality (1..100, mapped by each sink to
 * its own rate control). Invalid values fail with an {@link InvalidOptionException} naming the field.
 *
 * <p>Codec names understood by the bundled sinks: {@code h264} (the default: browser-playable H.264,
 * LGPL {@code libopenh264} in the FFmpeg sink), {@code libopenh264}, {@code libx264} (GPL natives
 * only), {@code mp4v}/{@code mpeg4} (MPEG-4 Part 2, <em>not</em> playable in browsers; only when asked
 * for by name).
 *
 * <p>{@code quality} is a visual-quality target, independent of the frame rate and of how many
 * output slots repeat a snapshot. {@code maxBitrate} (bits per second of video over real time, 0 =
 * no cap) optionally caps it: where the content needs more, the sink lowers quality to stay under.
 *
 * @since 0.1.0
 */
public record RecordingOptions(
    double fps, Resolution resolution, String codec, int quality, long maxBitrate) {
  public static final double MIN_FPS = 15;
  public static final double MAX_FPS = 60;
  /** Smallest and largest accepted {@link #maxBitrate} (bits per second). */
  public static final long MIN_BITRATE = 50_000;

  public static final long MAX_BITRATE = 200_000_000;
  private static final Pattern CODEC = Pattern.compile("[a-z0-9_]{1,32}");

  public RecordingOptions {
    if (!(fps >= MIN_FPS && fps <= MAX_FPS)) {
      throw new InvalidOptionException("fps", fps + " is out of range " + MIN_FPS + ".." + MAX_FPS);
    }
    requireNonNull(resolution, "resolution");
    requireNonNull(codec, "codec");
    codec = codec.trim().toLowerCase(Locale.ROOT);
    if (!CODEC.matcher(codec).matches()) {
      throw new InvalidOptionException("codec", "'" + codec + "' is not a codec name");
    }
    if (quality < 1 || quality > 100) {
      throw new InvalidOptionException("quality", quality + " is out of range 1..100");
    }
    if (maxBitrate != 0 && (maxBitrate < MIN_BITRATE || maxBitrate > MAX_BITRATE)) {
      throw new InvalidOptionException(
          "max_bitrate",
          maxBitrate + " is out of range " + MIN_BITRATE + ".." + MAX_BITRATE
              + " bit/s (0 = no cap)");
    }
  }

  /** Without a bit-rate cap. */
  public RecordingOptions(double fps, Resolution resolution, String codec, int quality) {
    this(fps, resolution, codec, quality, 0);
  }

  /** 30 FPS, 1920x1080, H.264, quality 95: the specification's defaults, with a browser-playable codec. */
  public static RecordingOptions defaults() {
    return new RecordingOptions(30, new Resolution(1920, 1080), "h264", 95);
  }

  /**
   * Defaults overridden by {@code RECORDING_DEFAULT_FPS}, {@code RECORDING_DEFAULT_RESOLUTION},
   * {@code RECORDING_DEFAULT_CODEC}, {@code RECORDING_DEFAULT_QUALITY} and {@code
   * RECORDING_MAX_BITRATE} (bits per second, {@code k}/{@code M} suffixes allowed: {@code 1.5M})
   * where present.
   */
  public static RecordingOptions fromEnvironment(Map<String, String> env) {
    RecordingOptions options = defaults()
        .withOverrides(
            nonBlank(env.get("RECORDING_DEFAULT_FPS")),
            nonBlank(env.get("RECORDING_DEFAULT_RESOLUTION")),
            nonBlank(env.get("RECORDING_DEFAULT_CODEC")),
            nonBlank(env.get("RECORDING_DEFAULT_QUALITY")));
    String maxBitrate = nonBlank(env.get("RECORDING_MAX_BITRATE"));
    return maxBitrate == null
        ? options
        : options.withMaxBitrate(parseBitrate("max_bitrate", maxBitrate));
  }

  /**
   * These options with the values a host read as text (query parameters, a form, environment
   * variables): {@code fps} a number, {@code resolution} {@code WIDTHxHEIGHT}, {@code codec} a name,
   * {@code quality} a whole number. {@code null} keeps the current value.
   *
   * @throws InvalidOptionException naming the field of a malformed or out-of-range value
   */
  public RecordingOptions withOverrides(
      @Nullable String fps,
      @Nullable String resolution,
      @Nullable String codec,
      @Nullable String quality) {
    RecordingOptions options = this;
    if (fps != null) {
      options = options.withFps(parseNumber("fps", fps));
    }
    if (resolution != null) {
      options = options.withResolution(Resolution.parse(resolution));
    }
    if (codec != null) {
      options = options.withCodec(codec);
    }
    if (quality != null) {
      double value = parseNumber("quality", quality);
      if (value != Math.rint(value)) { // a cast would silently truncate 80.5 to 80
        throw new InvalidOptionException("quality", "'" + quality + "' is not a whole number");
      }
      options = options.withQuality((int) value); // saturates, so huge values fail the range check
    }
    return options;
  }

  private static @Nullable String nonBlank(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** Parses a number for the named option, failing with an {@link InvalidOptionException}. */
  static double parseNumber(String field, String text) {
    try {
      double value = Double.parseDouble(text.trim());
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidOptionException(field, "'" + text + "' is not a number");
  }

  /** Parses bits per second, with an optional {@code k} (1000) or {@code M} (10^6) suffix. */
  static long parseBitrate(String field, String text) {
    String t = text.trim();
    double scale = 1;
    if (t.endsWith("k") || t.endsWith("K")) {
      scale = 1e3;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("M") || t.endsWith("m")) {
      scale = 1e6;
      t = t.substring(0, t.length() - 1);
    }
    double value = parseNumber(field, t) * scale;
    if (value < 0 || value > Long.MAX_VALUE / 2.0) {
      throw new InvalidOptionException(field, "'" + text + "' is not a bit rate");
    }
    return Math.round(value);
  }

  public RecordingOptions withFps(double fps) {
    return new RecordingOptions(fps, resolution, codec, quality, maxBitrate);
  }

  public RecordingOptions withResolution(Resolution resolution) {
    return new RecordingOptions(fps, resolution, codec, quality, maxBitrate);
  }

  public RecordingOptions withCodec(String codec) {
    return new RecordingOptions(fps, resolution, codec, quality, maxBitrate);
  }

  public RecordingOptions withQuality(int quality) {
    return new RecordingOptions(fps, resolution, codec, quality, maxBitrate);
  }

  /** A bit-rate cap in bits per second; 0 removes it. */
  public RecordingOptions withMaxBitrate(long maxBitrate) {
    return new RecordingOptions(fps, resolution, codec, quality, maxBitrate);
  }
}
