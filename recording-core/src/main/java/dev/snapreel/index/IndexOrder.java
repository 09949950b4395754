package dev.snapreel.index;

import dev.snapreel.metadata.RecordingMetadata;
import java.time.Instant;
import java.util.Comparator;

/**
 * The order every {@link RecordingIndex} lists in, for implementations: {@code created_at} truncated
 * to the microsecond (what SQL timestamps keep), then {@code recording_id}.
 *
 * @since 0.1.0
 */
public final class IndexOrder {
  /** Oldest first: created ascending, then id ascending. {@link RecordingIndex#find} order. */
  public static final Comparator<RecordingMetadata> OLDEST_FIRST = Comparator.comparingLong(
          (RecordingMetadata m) -> micros(m.createdAt()))
      .thenComparing(RecordingMetadata::recordingId);

  /** Newest first: the reverse of {@link #OLDEST_FIRST}. {@link RecordingIndex#list} order. */
  public static final Comparator<RecordingMetadata> NEWEST_FIRST = OLDEST_FIRST.reversed();

  private IndexOrder() {}

  /** Microseconds since the epoch, rounded towards negative infinity. */
  public static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** The cursor position of a recording. */
  public static PageCursor positionOf(RecordingMetadata m) {
    return new PageCursor(micros(m.createdAt()), m.recordingId());
  }
}
