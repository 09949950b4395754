package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.InvalidOptionException;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StorageKeys;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names recordings in storage: {@code {owner}/{session}/session_{session}_{yyyyMMdd_HHmmss_SSS}.mp4}
 * (and the {@code .json} beside it), and checks the ids that go into those names.
 */
public final class RecordingKeys {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS").withZone(ZoneOffset.UTC);

  /** The last file time handed out per owner/session, in epoch milliseconds. */
  private final java.util.Map<String, Long> lastMillis =
      new java.util.concurrent.ConcurrentHashMap<>();

  public RecordingKeys(StorageBackend storage) {
    requireNonNull(storage, "storage"); // kept for callers; names no longer depend on it
  }

  /**
   * {@code session_{session}_{time}.mp4}, with the time moved on by milliseconds past the last name
   * this service gave the session (restarted within the same millisecond, or a clock that stands
   * still): a new recording must never overwrite another. Decided in memory, without asking the
   * storage, so a slow or unreachable store never delays or fails a start.
   */
  public String unusedFilename(String ownerId, String sessionId, Instant now) {
    if (lastMillis.size() > 10_000) {
      long stale = now.toEpochMilli() - 60_000; // only names within the last moments can collide
      lastMillis.values().removeIf(v -> v < stale);
    }
    long millis = lastMillis.merge(
        ownerId + "/" + sessionId,
        now.toEpochMilli(),
        (last, current) -> Math.max(current, last + 1));
    return "session_" + sessionId + "_" + FILE_TIME.format(Instant.ofEpochMilli(millis)) + ".mp4";
  }

  public static String videoKey(String ownerId, String sessionId, String filename) {
    return ownerId + "/" + sessionId + "/" + filename;
  }

  /** The key prefix of an owner's recordings. */
  public static String ownerPrefix(String ownerId) {
    return ownerId + "/";
  }

  /** The key prefix of one session's recordings. */
  public static String sessionPrefix(String ownerId, String sessionId) {
    return ownerId + "/" + sessionId + "/";
  }

  /** True when every id is well-formed (see {@link StorageKeys#isSegment}). */
  public static boolean validIds(String... ids) {
    for (String id : ids) {
      if (!StorageKeys.isSegment(id)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a caller's owner or session id.
   *
   * @throws NullPointerException if null
   * @throws InvalidOptionException if malformed (user input)
   */
  public static void requireId(String field, String value) {
    requireNonNull(value, field);
    if (!StorageKeys.isSegment(value)) {
      throw new InvalidOptionException(
          field,
          "'" + value
              + "' is not a valid id (1-128 of A-Z a-z 0-9 . _ @ -, not starting with '.')");
    }
  }
}
