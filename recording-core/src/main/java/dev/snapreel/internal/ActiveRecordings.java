package dev.snapreel.internal;

import dev.snapreel.CapacityExceededException;
import dev.snapreel.RecordingConflictException;
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
 * one per session, at most {@code max} at a time.
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
  private final Object admission = new Object();
  private final Map<String, E> bySession = new ConcurrentHashMap<>();
  private final Map<String, E> byId = new ConcurrentHashMap<>();

  public ActiveRecordings(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.max = max;
  }

  /**
   * Admits a recording of the session: checks that the session is free and there is capacity, then
   * opens it and registers it, all under one lock so two starts cannot both pass the checks.
   *
   * @throws RecordingConflictException if the session is already recording
   * @throws CapacityExceededException if {@code max} recordings are active
   */
  public E admit(String ownerId, String sessionId, Supplier<E> open) {
    synchronized (admission) {
      if (bySession.containsKey(sessionKey(ownerId, sessionId))) {
        throw new RecordingConflictException("session " + sessionId + " is already recording");
      }
      if (byId.size() >= max) {
        throw new CapacityExceededException(
            "at capacity: " + max + " recordings are active; retry later");
      }
      E entry = open.get();
      bySession.put(sessionKey(entry.ownerId(), entry.sessionId()), entry);
      byId.put(entry.recordingId(), entry);
      return entry;
    }
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
