package dev.snapreel.sink;

import dev.snapreel.Snapshot;
import java.io.Closeable;
import java.nio.file.Path;

/**
 * One recording's encoder. Called from a single thread. The core decodes each snapshot once with
 * {@link #prepare} and then writes the prepared frame once per output slot it covers, so repeated
 * slots must not decode again.
 *
 * @since 0.1.0
 */
public interface EncodingSession extends Closeable {
  /**
   * Decodes and converts a snapshot to this session's frame size (scaled to fit, aspect kept,
   * letterboxed) and pixel format.
   *
   * @throws dev.snapreel.InvalidFrameException if the snapshot cannot be decoded
   */
  PreparedFrame prepare(Snapshot snapshot);

  /** Writes {@code frame} for the next output slot. {@code duplicate}: same frame as the last slot. */
  void write(PreparedFrame frame, boolean duplicate);

  /**
   * Flushes the encoder, closes the working file and writes the final, playable file to {@code
   * target} (for MP4: {@code moov} first). Returns the number of frames in it.
   */
  long finish(Path target);

  /** Releases native resources. After {@link #finish} a no-op; before it, abandons the output. */
  @Override
  void close();
}
