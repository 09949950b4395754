package dev.snapreel.examples.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FocusSessionsTest {
  /** A clock the test moves by hand. */
  static final class HandClock extends Clock {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aUserHoldsAtMostTheLimitOfOpenSessionsAndEndingOneFreesASlot() {
    FocusSessions sessions = FocusSessions.create(new HandClock(), 2, Duration.ofHours(1));
    FocusSession first = sessions.open("alice", "one", null, 100);
    sessions.open("alice", "two", null, 100);

    assertThatThrownBy(() -> sessions.open("alice", "three", null, 100))
        .isInstanceOf(SessionLimitException.class)
        .hasMessageContaining("the limit is 2");
    assertThat(sessions.open("bob", "bob's", null, 100).isActive())
        .isTrue(); // others are unaffected

    sessions.end(first, SessionStatus.COMPLETED);
    assertThat(sessions.open("alice", "three", null, 100).isActive()).isTrue();
  }

  @Test
  void endedSessionsAreEvictedAfterTheRetentionAndActiveOnesStay() {
    HandClock clock = new HandClock();
    FocusSessions sessions = FocusSessions.create(clock, 10, Duration.ofMinutes(30));
    FocusSession ended = sessions.open("alice", "done", null, 100);
    FocusSession active = sessions.open("alice", "ongoing", null, 100);
    sessions.end(ended, SessionStatus.COMPLETED);

    clock.now = clock.now.plus(Duration.ofMinutes(29));
    assertThat(sessions.find("alice", ended.sessionId())).contains(ended); // still readable
    assertThat(sessions.size()).isEqualTo(2);

    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertThat(sessions.find("alice", ended.sessionId())).isEmpty();
    assertThat(sessions.size()).isEqualTo(1);
    assertThat(sessions.find("alice", active.sessionId())).contains(active);

    clock.now = clock.now.plus(Duration.ofDays(30));
    assertThat(sessions.find("alice", active.sessionId())).contains(active);
  }
}
