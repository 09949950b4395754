package dev.snapreel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Video frame size in pixels. Both sides even (4:2:0 chroma needs it), each 16..3840, at most 4K UHD
 * worth of pixels, so portrait sizes such as 1080x1920 are fine.
 *
 * @since 0.1.0
 */
public record Resolution(int width, int height) {
  public static final int MAX_SIDE = 3840;
  public static final long MAX_PIXELS = 3840L * 2160L;
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

  public Resolution {
    if (width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new InvalidOptionException(
          "resolution", width + "x" + height + " is out of range (each side 16.." + MAX_SIDE + ")");
    }
    if ((long) width * height > MAX_PIXELS) {
      throw new InvalidOptionException(
          "resolution", width + "x" + height + " exceeds 3840x2160 pixels");
    }
    if (width % 2 != 0 || height % 2 != 0) {
      throw new InvalidOptionException(
          "resolution", width + "x" + height + " must have even sides");
    }
  }

  /** Parses {@code WIDTHxHEIGHT}, e.g. {@code 1280x720}. */
  public static Resolution parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new InvalidOptionException(
          "resolution", "'" + text + "' is not WIDTHxHEIGHT, e.g. 1280x720");
    }
    return new Resolution(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
