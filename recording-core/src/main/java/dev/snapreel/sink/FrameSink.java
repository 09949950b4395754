package dev.snapreel.sink;

import dev.snapreel.EncoderException;
import java.nio.file.Path;

/**
 * The encoder SPI. A sink is a stateless, thread-safe factory; each recording gets its own {@link
 * EncodingSession}, opened, used and closed on that recording's single writer thread (native
 * encoders are not thread-safe).
 *
 * @since 0.1.0
 */
public interface FrameSink {
  /** Short name for logs and metadata, e.g. {@code ffmpeg}. */
  String name();

  /**
   * Checks, on the caller's thread, that this sink can encode {@code spec} (codec present in the
   * native build, size acceptable) and returns the codec name it will actually write (e.g. {@code
   * h264}). Throws {@link dev.snapreel.UnsupportedCodecException} with a clear message otherwise; never substitutes another
   * codec.
   */
  String validate(EncodingSpec spec);

  /** Opens an encoder writing {@code output}, which does not exist yet. */
  EncodingSession open(EncodingSpec spec, Path output);

  /**
   * Turns the partial output of a session that never finished (the process died) into a playable
   * file at {@code target}, if this sink's format allows it. Returns the number of frames recovered.
   *
   * @throws EncoderException if the partial file cannot be recovered
   */
  default long recover(Path partial, Path target, EncodingSpec spec) {
    throw new EncoderException(name() + " sink cannot recover an interrupted recording");
  }

  /** Whether a file left by a killed process is playable or recoverable (fragmented output). */
  default boolean crashSafe() {
    return false;
  }
}
