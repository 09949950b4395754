package dev.snapreel.internal;

import dev.snapreel.CapacityExceededException;
import dev.snapreel.RecordingConflictException;
import dev.snapreel.UserLimitExceededException;
import dev.snapreel.metadata.RecordingMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The active recordings (recording or finalizing), by session and by id, and admission of new ones:
 * one per session, at most {@code max} at a time and {@code maxPerOwner} per owner.
 *
 * @param <E> the service's book-keeping of one recording
 */
public final class ActiveRecordings<E extends ActiveRecordings.Member> {
  /** What the registry needs to know of a recording. */
  public interface Member {
    String recordingId();

    String ownerId();

    String sessionId();

    /** The metadata as of now, counters included. */
    RecordingMetadata liveMetadata();
  }

  private final int max;
  private final int maxPerOwner;
  private final Object admission = new Object();
  private final Map<String, E> bySession = new ConcurrentHashMap<>();
  private final Map<String, E> byId = new ConcurrentHashMap<>();
  /** Slots taken by starts still opening their recording: session key to owner. */
  private final Map<String, String> reserved = new ConcurrentHashMap<>();

  public ActiveRecordings(int max) {
    this(max, Integer.MAX_VALUE);
  }

  public ActiveRecordings(int max, int maxPerOwner) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    if (maxPerOwner < 1) {
      throw new IllegalArgumentException("maxPerOwner must be >= 1, was " + maxPerOwner);
    }
    this.max = max;
    this.maxPerOwner = maxPerOwner;
  }

  /**
   * Admits a recording of the session: checks that the session is free and there is capacity and
   * reserves the slot under the lock, then opens the recording <em>outside</em> it (encoder, files),
   * so a slow encoder or disk never holds up other starts; a failed open releases the slot.
   *
   * @throws RecordingConflictException if the session is already recording (or starting)
   * @throws UserLimitExceededException if the owner already has {@code maxPerOwner} active
   * @throws CapacityExceededException if {@code max} recordings are active
   */
  public E admit(String ownerId, String sessionId, Supplier<E> open) {
    String key = sessionKey(ownerId, sessionId);
    synchronized (admission) {
      if (bySession.containsKey(key) || reserved.containsKey(key)) {
        throw new RecordingConflictException("session " + sessionId + " is already recording");
      }
      long owned =
          byId.values().stream().filter(e -> e.ownerId().equals(ownerId)).count()
              + reserved.values().stream().filter(ownerId::equals).count();
      if (owned >= maxPerOwner) {
        throw new UserLimitExceededException("owner " + ownerId + " already has " + owned
            + " active recordings (the limit is " + maxPerOwner + "); stop one first");
      }
      if (byId.size() + reserved.size() >= max) {
        throw new CapacityExceededException(
            "at capacity: " + max + " recordings are active; retry later");
      }
      reserved.put(key, ownerId);
    }
    E entry;
    try {
      entry = open.get();
    } catch (RuntimeException | Error e) {
      synchronized (admission) {
        reserved.remove(key);
      }
      throw e;
    }
    synchronized (admission) {
      reserved.remove(key);
      bySession.put(sessionKey(entry.ownerId(), entry.sessionId()), entry);
      byId.put(entry.recordingId(), entry);
    }
    return entry;
  }

  /** Forgets a recording once it is stored (or failed). */
  public void remove(E entry) {
    byId.remove(entry.recordingId(), entry);
    bySession.remove(sessionKey(entry.ownerId(), entry.sessionId()), entry);
  }

  public Optional<E> bySession(String ownerId, String sessionId) {
    return Optional.ofNullable(bySession.get(sessionKey(ownerId, sessionId)));
  }

  public @Nullable E byId(String recordingId) {
    return byId.get(recordingId);
  }

  public boolean isActive(String recordingId) {
    return byId.containsKey(recordingId);
  }

  public Collection<E> all() {
    return List.copyOf(byId.values());
  }

  private static String sessionKey(String ownerId, String sessionId) {
    return ownerId + "/" + sessionId;
  }
}
