package dev.snapreel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeepUpTest {
  private static KeepUp healthy() {
    return new KeepUp()
        .dropped(0)
        .failed(0)
        .maxQueued(KeepUp.MAX_QUEUE)
        .slowestStop(KeepUp.MAX_STOP_SECONDS)
        .unanswered(0)
        .errorReplies(0)
        .maxInFlight(KeepUp.MAX_IN_FLIGHT)
        .frames(
            new long[] {600, 601},
            new long[] {600 + KeepUp.FRAME_TOLERANCE, 601 - KeepUp.FRAME_TOLERANCE});
  }

  @Test
  void everythingAtItsLimitStillKeepsUp() {
    KeepUp k = healthy();
    assertThat(k.keptUp()).isTrue();
    assertThat(k.why()).isEqualTo("ok");
  }

  @Test
  void eachLimitCrossedIsAReason() {
    assertThat(healthy().dropped(2).why()).isEqualTo("2 dropped");
    assertThat(healthy().failed(1).why()).isEqualTo("1 failed");
    assertThat(healthy().maxQueued(KeepUp.MAX_QUEUE + 1).why()).isEqualTo("queue reached 4");
    assertThat(healthy().slowestStop(5.04).why()).isEqualTo("stop took 5.0 s");
    assertThat(healthy().unanswered(3).why()).isEqualTo("3 frames unanswered");
    assertThat(healthy().errorReplies(1).why()).isEqualTo("1 error replies");
    assertThat(healthy().maxInFlight(KeepUp.MAX_IN_FLIGHT + 1).why())
        .isEqualTo("reply backlog reached 4");
    for (KeepUp k :
        new KeepUp[] {healthy().dropped(1), healthy().maxInFlight(9), healthy().slowestStop(6)}) {
      assertThat(k.keptUp()).isFalse();
    }
  }

  @Test
  void aRecordingShortOfItsWallTimeIsNamedWithTheWorstDeviation() {
    KeepUp k =
        new KeepUp().frames(new long[] {600, 590, 598, 605}, new long[] {600, 600, 600, 600});
    assertThat(k.keptUp()).isFalse();
    assertThat(k.why()).isEqualTo("2 recordings off the wall time (worst -10 frames)");
  }

  @Test
  void reasonsAccumulateInOrder() {
    KeepUp k = new KeepUp().dropped(5).maxQueued(16).slowestStop(7.25);
    assertThat(k.why()).isEqualTo("5 dropped, queue reached 16, stop took 7.3 s");
  }
}
