package dev.snapreel.index;

import org.jspecify.annotations.Nullable;

/**
 * Which page of a listing to return: at most {@code limit} recordings after {@code cursor} (the
 * {@link RecordingPage#nextCursor()} of the previous page), or from the start when it is null.
 *
 * @param limit 1 to {@value #MAX_LIMIT}
 * @param cursor opaque; null for the first page
 * @since 0.1.0
 */
public record PageRequest(int limit, @Nullable String cursor) {
  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** The page size the example host uses when none is asked for. */
  public static final int DEFAULT_LIMIT = 50;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    if (cursor != null && cursor.isEmpty()) {
      cursor = null;
    }
  }

  /** The first page of {@code limit} recordings. */
  public static PageRequest first(int limit) {
    return new PageRequest(limit, null);
  }

  /** The page after {@code cursor}. */
  public static PageRequest after(int limit, @Nullable String cursor) {
    return new PageRequest(limit, cursor);
  }

  /** Whether {@code limit} is a valid page size. */
  public static boolean validLimit(long limit) {
    return limit >= 1 && limit <= MAX_LIMIT;
  }
}
