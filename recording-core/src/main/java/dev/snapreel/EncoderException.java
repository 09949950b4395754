package dev.snapreel;

import org.jspecify.annotations.Nullable;

/** The encoder is unavailable (codec missing from the native build) or failed while encoding. */
public class EncoderException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public EncoderException(String message) {
    super(message);
  }

  public EncoderException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
