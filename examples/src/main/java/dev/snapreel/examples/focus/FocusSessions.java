package dev.snapreel.examples.focus;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * In-memory registry of focus sessions. Lookups take the caller's user id and find only that
 * user's sessions, so another user's session id behaves exactly like an unknown one.
 */
public final class FocusSessions {
  private final Map<String, FocusSession> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  private FocusSessions(Clock clock) {
    this.clock = clock;
  }

  public static FocusSessions create() {
    return create(Clock.systemUTC());
  }

  public static FocusSessions create(Clock clock) {
    return new FocusSessions(requireNonNull(clock, "clock"));
  }

  /** Opens a session for {@code ownerId}; its id is a fresh UUID. */
  public FocusSession open(String ownerId, String sessionName, @Nullable String subject, double initialScore) {
    requireNonNull(ownerId, "ownerId");
    requireNonNull(sessionName, "sessionName");
    FocusSession s =
        new FocusSession(UUID.randomUUID().toString(), ownerId, sessionName, subject, initialScore, clock.instant());
    byId.put(s.sessionId(), s);
    return s;
  }

  /** The session if it exists and belongs to {@code ownerId}. */
  public Optional<FocusSession> find(String ownerId, String sessionId) {
    FocusSession s = byId.get(sessionId);
    return s != null && s.ownerId().equals(ownerId) ? Optional.of(s) : Optional.empty();
  }

  /** Ends a session; false if it had already ended. */
  public boolean end(FocusSession session, SessionStatus status) {
    return session.end(status, clock.instant());
  }
}
