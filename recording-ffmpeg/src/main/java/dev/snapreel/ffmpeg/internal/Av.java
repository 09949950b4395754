package dev.snapreel.ffmpeg.internal;

import dev.snapreel.EncoderException;
import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg return-code checks with readable messages. */
final class Av {
  static {
    // FFmpeg logs to stderr by default; keep only real errors.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private Av() {}

  static void init() {
    // triggers the static initializer
  }

  static String error(int code) {
    byte[] buffer = new byte[256];
    avutil.av_strerror(code, buffer, buffer.length);
    int n = 0;
    while (n < buffer.length && buffer[n] != 0) {
      n++;
    }
    return new String(buffer, 0, n, java.nio.charset.StandardCharsets.US_ASCII) + " (" + code + ")";
  }

  static int check(int code, String what) {
    if (code < 0) {
      throw new EncoderException(what + " failed: " + error(code));
    }
    return code;
  }
}
