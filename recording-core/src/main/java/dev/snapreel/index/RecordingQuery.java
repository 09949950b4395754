package dev.snapreel.index;

import static java.util.Objects.requireNonNull;

import dev.snapreel.metadata.RecordingStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Recordings of every owner by status and age, for retention ({@code completed} created before a
 * cut-off) and recovery ({@code upload_pending}, {@code finalizing}).
 *
 * @param statuses non-empty
 * @param createdBefore only recordings created strictly before it; null for any age
 * @since 0.1.0
 */
public record RecordingQuery(
    Set<RecordingStatus> statuses, @Nullable Instant createdBefore) {
  public RecordingQuery {
    requireNonNull(statuses, "statuses");
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("statuses must not be empty");
    }
    statuses = Set.copyOf(EnumSet.copyOf(statuses));
  }

  /** Recordings in any of the given statuses, of any age. */
  public static RecordingQuery status(RecordingStatus first, RecordingStatus... more) {
    return new RecordingQuery(EnumSet.of(first, more), null);
  }

  /** Every recording. */
  public static RecordingQuery all() {
    return new RecordingQuery(EnumSet.allOf(RecordingStatus.class), null);
  }

  /** The same query limited to recordings created strictly before {@code cutoff}. */
  public RecordingQuery olderThan(Instant cutoff) {
    return new RecordingQuery(statuses, requireNonNull(cutoff, "cutoff"));
  }

  /** Whether {@code status} and {@code createdAt} match. */
  public boolean matches(RecordingStatus status, Instant createdAt) {
    return statuses.contains(status)
        && (createdBefore == null || createdAt.isBefore(createdBefore));
  }

  /** A stable text of the query, that {@link PageCursors} binds its cursors to. */
  public String cursorScope() {
    StringBuilder b = new StringBuilder("query:");
    for (RecordingStatus s : EnumSet.copyOf(statuses)) {
      b.append(s.wireName()).append(',');
    }
    b.append(createdBefore == null ? "-" : Long.toString(IndexOrder.micros(createdBefore)));
    return b.toString();
  }
}
