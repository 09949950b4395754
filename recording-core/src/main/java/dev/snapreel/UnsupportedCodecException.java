package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * The requested codec is unknown to the sink, or the native build lacks its encoder (e.g. {@code
 * libx264} without the GPL natives). A problem of the request, not a crash: hosts usually answer it
 * as a bad parameter. Never answered by a silent fallback to another codec.
 *
 * @since 0.1.0
 */
public class UnsupportedCodecException extends EncoderException {
  private static final long serialVersionUID = 1L;

  public UnsupportedCodecException(String message) {
    super(message);
  }

  public UnsupportedCodecException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
