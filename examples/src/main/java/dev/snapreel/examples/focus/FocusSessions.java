package dev.snapreel.examples.focus;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Registry of focus sessions, kept in a {@link SessionStore} (and in memory for their live score).
 * Lookups take the caller's user id and find only that user's sessions, so another user's session
 * id behaves exactly like an unknown one. A session opened before a restart is loaded from the store.
 *
 * <p>Bounded: a user may hold at most {@code maxOpenPerUser} active sessions in this process (the
 * next {@link #open} throws {@link SessionLimitException}), and ended sessions are evicted from
 * memory once they have been ended for {@code endedRetention}, so memory does not grow with every
 * session ever opened; an evicted session is not served again.
 */
public final class FocusSessions {
  /** Default for {@link #create()}: active sessions per user. */
  public static final int DEFAULT_MAX_OPEN_PER_USER = 10;

  /** Default for {@link #create()}: how long an ended session can still be read. */
  public static final Duration DEFAULT_ENDED_RETENTION = Duration.ofHours(1);

  private final Map<String, FocusSession> byId = new ConcurrentHashMap<>();
  private final Clock clock;
  private final SessionStore store;
  private final int maxOpenPerUser;
  private final Duration endedRetention;

  private FocusSessions(
      Clock clock, SessionStore store, int maxOpenPerUser, Duration endedRetention) {
    this.clock = clock;
    this.store = store;
    this.maxOpenPerUser = maxOpenPerUser;
    this.endedRetention = endedRetention;
  }

  public static FocusSessions create() {
    return create(Clock.systemUTC());
  }

  public static FocusSessions create(Clock clock) {
    return create(clock, SessionStore.inMemory());
  }

  public static FocusSessions create(Clock clock, SessionStore store) {
    return create(clock, store, DEFAULT_MAX_OPEN_PER_USER, DEFAULT_ENDED_RETENTION);
  }

  public static FocusSessions create(Clock clock, int maxOpenPerUser, Duration endedRetention) {
    return create(clock, SessionStore.inMemory(), maxOpenPerUser, endedRetention);
  }

  public static FocusSessions create(
      Clock clock, SessionStore store, int maxOpenPerUser, Duration endedRetention) {
    requireNonNull(clock, "clock");
    requireNonNull(store, "store");
    requireNonNull(endedRetention, "endedRetention");
    if (maxOpenPerUser < 1) {
      throw new IllegalArgumentException("maxOpenPerUser must be >= 1, was " + maxOpenPerUser);
    }
    if (endedRetention.isNegative()) {
      throw new IllegalArgumentException("endedRetention must not be negative");
    }
    return new FocusSessions(clock, store, maxOpenPerUser, endedRetention);
  }

  /**
   * Opens a session for {@code ownerId}; its id is a fresh UUID.
   *
   * @throws SessionLimitException if the user already has {@code maxOpenPerUser} active sessions
   */
  public FocusSession open(
      String ownerId, String sessionName, @Nullable String subject, double initialScore) {
    requireNonNull(ownerId, "ownerId");
    requireNonNull(sessionName, "sessionName");
    evictEnded();
    FocusSession s = new FocusSession(
        UUID.randomUUID().toString(), ownerId, sessionName, subject, initialScore, clock.instant());
    // Count and insert under one lock so concurrent opens cannot both take the last slot.
    synchronized (byId) {
      long open = byId.values().stream()
          .filter(o -> o.ownerId().equals(ownerId) && o.isActive())
          .count();
      if (open >= maxOpenPerUser) {
        throw new SessionLimitException("you already have " + open
            + " open focus sessions (the limit is " + maxOpenPerUser + "): end one first");
      }
      store.opened(s);
      byId.put(s.sessionId(), s);
    }
    return s;
  }

  /** The session if it exists, belongs to {@code ownerId} and has not been evicted. */
  public Optional<FocusSession> find(String ownerId, String sessionId) {
    FocusSession s = byId.get(sessionId);
    if (s == null) {
      s = store
          .load(sessionId)
          .map(FocusSessions::restore)
          .map(r -> {
            FocusSession prev = byId.putIfAbsent(r.sessionId(), r);
            return prev != null ? prev : r;
          })
          .orElse(null);
    }
    if (s == null || !s.ownerId().equals(ownerId)) {
      return Optional.empty();
    }
    if (expired(s, clock.instant())) {
      byId.remove(sessionId, s);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  private static FocusSession restore(SessionStore.StoredSession st) {
    FocusSession s = new FocusSession(
        st.sessionId(),
        st.ownerId(),
        st.sessionName(),
        st.subject(),
        st.initialScore(),
        st.startedAt());
    if (st.status() != SessionStatus.ACTIVE) {
      s.end(st.status(), st.endedAt() != null ? st.endedAt() : st.startedAt());
    }
    return s;
  }

  /** Ends a session; false if it had already ended. */
  public boolean end(FocusSession session, SessionStatus status) {
    if (!session.end(status, clock.instant())) {
      return false;
    }
    store.ended(session);
    return true;
  }

  /** Sessions held in memory, active and recently ended. */
  public int size() {
    evictEnded();
    return byId.size();
  }

  private void evictEnded() {
    Instant now = clock.instant();
    byId.values().removeIf(s -> expired(s, now));
  }

  private boolean expired(FocusSession s, Instant now) {
    Instant ended = s.endedAt();
    return ended != null && !ended.plus(endedRetention).isAfter(now);
  }
}
