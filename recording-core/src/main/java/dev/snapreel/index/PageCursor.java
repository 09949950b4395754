package dev.snapreel.index;

import static java.util.Objects.requireNonNull;

import dev.snapreel.metadata.RecordingMetadata;

/**
 * A position in a listing, as {@link PageCursors} encodes it: the last returned recording's {@code
 * created_at} in microseconds and its id. The next page starts strictly after it.
 *
 * @since 0.1.0
 */
public record PageCursor(long createdAtMicros, String recordingId) {
  public PageCursor {
    requireNonNull(recordingId, "recordingId");
  }

  /**
   * Whether {@code m} lies strictly after this position in a listing that is {@code newestFirst} (or
   * oldest first), compared as {@link IndexOrder} does.
   */
  public boolean precedes(RecordingMetadata m, boolean newestFirst) {
    long t = IndexOrder.micros(m.createdAt());
    int c = t != createdAtMicros
        ? Long.compare(t, createdAtMicros)
        : m.recordingId().compareTo(recordingId);
    return newestFirst ? c < 0 : c > 0;
  }
}
