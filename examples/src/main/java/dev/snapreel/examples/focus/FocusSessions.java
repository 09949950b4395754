package dev.snapreel.examples.focus;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Registry of focus sessions, kept in a {@link SessionStore} (and in memory for their live score).
 * Lookups take the caller's user id and find only that user's sessions, so another user's session
 * id behaves exactly like an unknown one. A session opened before a restart is loaded from the store.
 */
public final class FocusSessions {
  private final Map<String, FocusSession> byId = new ConcurrentHashMap<>();
  private final Clock clock;
  private final SessionStore store;

  private FocusSessions(Clock clock, SessionStore store) {
    this.clock = clock;
    this.store = store;
  }

  public static FocusSessions create() {
    return create(Clock.systemUTC());
  }

  public static FocusSessions create(Clock clock) {
    return create(clock, SessionStore.inMemory());
  }

  public static FocusSessions create(Clock clock, SessionStore store) {
    return new FocusSessions(requireNonNull(clock, "clock"), requireNonNull(store, "store"));
  }

  /** Opens a session for {@code ownerId}; its id is a fresh UUID. */
  public FocusSession open(String ownerId, String sessionName, @Nullable String subject, double initialScore) {
    requireNonNull(ownerId, "ownerId");
    requireNonNull(sessionName, "sessionName");
    FocusSession s =
        new FocusSession(UUID.randomUUID().toString(), ownerId, sessionName, subject, initialScore, clock.instant());
    store.opened(s);
    byId.put(s.sessionId(), s);
    return s;
  }

  /** The session if it exists and belongs to {@code ownerId}. */
  public Optional<FocusSession> find(String ownerId, String sessionId) {
    FocusSession s = byId.get(sessionId);
    if (s == null) {
      s = store.load(sessionId).map(FocusSessions::restore).map(r -> {
        FocusSession prev = byId.putIfAbsent(r.sessionId(), r);
        return prev != null ? prev : r;
      }).orElse(null);
    }
    return s != null && s.ownerId().equals(ownerId) ? Optional.of(s) : Optional.empty();
  }

  private static FocusSession restore(SessionStore.StoredSession st) {
    FocusSession s = new FocusSession(st.sessionId(), st.ownerId(), st.sessionName(), st.subject(),
        st.initialScore(), st.startedAt());
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
}
