package dev.snapreel.examples.focus;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where focus sessions outlive the process: {@link JdbcSessionStore} in the recording index's
 * database, or {@link #inMemory()} (nothing kept).
 */
public interface SessionStore {
  /** A session as stored: what it was opened with and how it ended. */
  record StoredSession(
      String sessionId,
      String ownerId,
      String sessionName,
      @Nullable String subject,
      double initialScore,
      Instant startedAt,
      SessionStatus status,
      @Nullable Instant endedAt) {}

  /** Keeps nothing: sessions live as long as the process. */
  static SessionStore inMemory() {
    return new SessionStore() {
      @Override
      public void opened(FocusSession session) {}

      @Override
      public void ended(FocusSession session) {}

      @Override
      public Optional<StoredSession> load(String sessionId) {
        return Optional.empty();
      }
    };
  }

  void opened(FocusSession session);

  void ended(FocusSession session);

  Optional<StoredSession> load(String sessionId);
}
