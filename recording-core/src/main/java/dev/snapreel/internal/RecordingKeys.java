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

  private final StorageBackend storage;

  public RecordingKeys(StorageBackend storage) {
    this.storage = requireNonNull(storage, "storage");
  }

  /**
   * {@code session_{session}_{time}.mp4}, with the time moved on by milliseconds if an earlier
   * recording of the session already has that name (restarted within the same millisecond, or a
   * clock that stands still): a new recording must never overwrite a stored one.
   */
  public String unusedFilename(String ownerId, String sessionId, Instant now) {
    Instant time = now;
    while (true) {
      String filename = "session_" + sessionId + "_" + FILE_TIME.format(time) + ".mp4";
      String key = videoKey(ownerId, sessionId, filename);
      if (storage.stat(key).isEmpty()
          && storage.stat(StorageKeys.manifestKeyFor(key)).isEmpty()) {
        return filename;
      }
      time = time.plusMillis(1);
    }
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
          "'" + value + "' is not a valid id (1-128 of A-Z a-z 0-9 . _ @ -, not starting with '.')");
    }
  }
}
