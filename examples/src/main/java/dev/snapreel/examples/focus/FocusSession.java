package dev.snapreel.examples.focus;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One user's focus session: name, subject, live focus score and status. Thread-safe. */
public final class FocusSession {
  private final String sessionId;
  private final String ownerId;
  private final String sessionName;
  private final @Nullable String subject;
  private final double initialScore;
  private final Instant startedAt;
  private final FocusScore score;
  private SessionStatus status = SessionStatus.ACTIVE;
  private @Nullable Instant endedAt;
  private long framesAnalysed;
  private @Nullable Detection lastDetection;

  FocusSession(
      String sessionId,
      String ownerId,
      String sessionName,
      @Nullable String subject,
      double initialScore,
      Instant startedAt) {
    this.sessionId = requireNonNull(sessionId);
    this.ownerId = requireNonNull(ownerId);
    this.sessionName = requireNonNull(sessionName);
    this.subject = subject;
    this.initialScore = initialScore;
    this.startedAt = requireNonNull(startedAt);
    this.score = new FocusScore(initialScore);
  }

  public String sessionId() {
    return sessionId;
  }

  public String ownerId() {
    return ownerId;
  }

  public String sessionName() {
    return sessionName;
  }

  public @Nullable String subject() {
    return subject;
  }

  public double initialScore() {
    return initialScore;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public synchronized SessionStatus status() {
    return status;
  }

  public synchronized @Nullable Instant endedAt() {
    return endedAt;
  }

  public synchronized double focusScore() {
    return score.value();
  }

  public synchronized long framesAnalysed() {
    return framesAnalysed;
  }

  public synchronized boolean isActive() {
    return status == SessionStatus.ACTIVE;
  }

  /** Folds a detection into the score; returns the new score. */
  public synchronized double record(Detection detection, long nanos) {
    framesAnalysed++;
    lastDetection = detection;
    return score.update(detection, nanos);
  }

  public synchronized @Nullable Detection lastDetection() {
    return lastDetection;
  }

  /** Ends the session; false if it had already ended. */
  synchronized boolean end(SessionStatus endStatus, Instant at) {
    if (endStatus == SessionStatus.ACTIVE) {
      throw new IllegalArgumentException("a session cannot end as active");
    }
    if (status != SessionStatus.ACTIVE) {
      return false;
    }
    status = endStatus;
    endedAt = at;
    return true;
  }
}
