package dev.snapreel.storage;

import dev.snapreel.StorageException;
import org.jspecify.annotations.Nullable;

/**
 * {@link StorageBackend#open} was asked for bytes that start at or past the end of the object (an
 * HTTP host answers {@code 416 Range Not Satisfiable}).
 *
 * @since 0.1.0
 */
public class RangeNotSatisfiableException extends StorageException {
  private static final long serialVersionUID = 1L;

  public RangeNotSatisfiableException(String key, ByteRange range, long size) {
    this(key, range, size, null);
  }

  /** {@code size} is negative when the store did not say how large the object is. */
  public RangeNotSatisfiableException(
      String key, ByteRange range, long size, @Nullable Throwable cause) {
    super(
        "range " + range.offset() + "-" + (range.endExclusive() - 1) + " of " + key
            + " starts past its end (" + (size >= 0 ? size + " bytes" : "size unknown") + ")",
        cause);
  }
}
