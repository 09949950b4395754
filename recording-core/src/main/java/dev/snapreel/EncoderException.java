package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * The encoder failed: it could not be opened, or failed while encoding. {@link
 * UnsupportedCodecException} is the case of a codec the sink or its native build lacks.
 *
 * @since 0.1.0
 */
public class EncoderException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  public EncoderException(String message) {
    super(message);
  }

  public EncoderException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
