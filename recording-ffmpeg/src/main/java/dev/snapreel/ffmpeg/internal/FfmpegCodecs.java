package dev.snapreel.ffmpeg.internal;

import dev.snapreel.UnsupportedCodecException;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * Maps the codec names users ask for to FFmpeg encoders. {@code h264} means the LGPL {@code
 * libopenh264}, never x264 implicitly; {@code av1} the BSD-licensed {@code libsvtav1}; {@code mpeg4}
 * only when asked for by name. A missing encoder is
 * an error, never a fallback.
 */
public final class FfmpegCodecs {
  /** The encoder to open and the codec family to report in metadata. */
  public record Choice(String encoder, String family) {}

  private FfmpegCodecs() {}

  public static Choice resolve(String requested) {
    Av.init();
    String name = requested.toLowerCase(Locale.ROOT);
    Choice choice;
    switch (name) {
      case "h264", "avc1", "avc", "libopenh264", "openh264" ->
        choice = new Choice("libopenh264", "h264");
      case "libx264", "x264" -> choice = new Choice("libx264", "h264");
      case "av1", "av01", "libsvtav1", "svtav1" -> choice = new Choice("libsvtav1", "av1");
      case "mpeg4", "mp4v" -> choice = new Choice("mpeg4", "mpeg4");
      default ->
        throw new UnsupportedCodecException(
            "codec '" + requested
                + "' is not supported by the FFmpeg sink (use h264, libopenh264, libx264, av1 or mpeg4)");
    }
    AVCodec encoder = avcodec.avcodec_find_encoder_by_name(choice.encoder());
    if (encoder == null || encoder.isNull()) {
      String hint = choice.encoder().equals("libx264")
          ? " libx264 is GPL and only in the GPL natives: build with the Maven profile -Pgpl."
          : "";
      throw new UnsupportedCodecException("codec '" + requested + "' needs the FFmpeg encoder "
          + choice.encoder() + ", which this FFmpeg build does not have." + hint);
    }
    return choice;
  }

  public static boolean available(String encoder) {
    Av.init();
    AVCodec codec = avcodec.avcodec_find_encoder_by_name(encoder);
    return codec != null && !codec.isNull();
  }
}
