package dev.snapreel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class FramePacerTest {
  private static final long SECOND = 1_000_000_000L;

  private final PacerLog log = new PacerLog();
  private final FramePacer<String> pacer = new FramePacer<>(30, log);

  /** Nanoseconds of {@code num / den} seconds after a fixed, non-zero origin. */
  private static long at(long num, long den) {
    return 5 * SECOND + num * SECOND / den;
  }

  @Test
  void snapshotsExactlyOnTheGridAreEachShownOnce() {
    for (int i = 0; i < 90; i++) {
      pacer.offer("s" + i, at(i, 30));
    }

    assertThat(pacer.finish(at(3, 1))).isEqualTo(90);
    assertThat(log.emitted).hasSize(90);
    assertThat(log.duplicates()).isZero();
    assertThat(log.dropped).isEmpty();
    for (int i = 0; i < 90; i++) {
      assertThat(log.emitted.get(i)).isEqualTo(new PacerLog.Emitted("s" + i, i, false));
    }
    assertThat(pacer.duplicated()).isZero();
    assertThat(pacer.dropped()).isZero();
  }

  @Test
  void fiveFpsForTenSecondsBecomesThreeHundredFramesAtThirtyFps() {
    for (int i = 0; i < 50; i++) {
      pacer.offer("s" + i, at(i, 5));
    }

    assertThat(pacer.finish(at(10, 1))).isEqualTo(300);
    assertThat(log.emitted).hasSize(300);
    assertThat(log.duplicates()).isEqualTo(250);
    assertThat(pacer.duplicated()).isEqualTo(250);
    assertThat(pacer.dropped()).isZero();
    // Each snapshot covers the six slots from its own up to the next one's.
    for (int slot = 0; slot < 300; slot++) {
      PacerLog.Emitted e = log.emitted.get(slot);
      assertThat(e.frame()).isEqualTo("s" + slot / 6);
      assertThat(e.slot()).isEqualTo(slot);
      assertThat(e.duplicate()).isEqualTo(slot % 6 != 0);
    }
  }

  @Test
  void theLaterOfTwoSnapshotsInOneSlotWinsAndTheOtherIsDropped() {
    pacer.offer("a", at(0, 1));
    pacer.offer("b", at(10, 1000)); // 0.3 slots: still slot 0
    pacer.offer("c", at(1, 30));

    pacer.finish(at(2, 30));

    assertThat(log.frames()).containsExactly("b", "c");
    assertThat(log.dropped).containsExactly("a");
    assertThat(pacer.dropped()).isEqualTo(1);
  }

  @Test
  void aStallRepeatsTheHeldFrameForItsDuration() {
    pacer.offer("before", at(0, 1));
    pacer.offer("after", at(2, 1)); // two seconds without snapshots

    pacer.finish(at(2, 1) + SECOND / 30);

    assertThat(Collections.frequency(log.frames(), "before")).isEqualTo(60);
    assertThat(log.frames()).endsWith("after");
    assertThat(log.duplicates()).isEqualTo(59);
  }

  @Test
  void finishingBeforeTheLastSnapshotsSlotStillShowsItOnce() {
    pacer.offer("a", at(0, 1));
    pacer.offer("b", at(10, 30));

    // Stop time earlier than the last snapshot (clock skew): it is treated as the last snapshot's
    // time.
    assertThat(pacer.finish(at(5, 30))).isEqualTo(11);
    assertThat(log.frames()).endsWith("b");
    assertThat(Collections.frequency(log.frames(), "b")).isEqualTo(1);
  }

  @Test
  void aSingleSnapshotStoppedAtOnceIsShownOnce() {
    pacer.offer("only", at(0, 1));

    assertThat(pacer.finish(at(0, 1))).isEqualTo(1);
    assertThat(log.emitted).containsExactly(new PacerLog.Emitted("only", 0, false));
    assertThat(log.retired).containsExactly("only");
  }

  @Test
  void nothingIsEmittedBeforeTheFirstSnapshot() {
    pacer.advanceTo(at(10, 1));
    assertThat(log.emitted).isEmpty();
    assertThat(pacer.started()).isFalse();
    assertThatThrownBy(pacer::originNanos).isInstanceOf(IllegalStateException.class);

    pacer.offer("first", at(20, 1));
    assertThat(pacer.originNanos()).isEqualTo(at(20, 1));
    assertThat(pacer.finish(at(20, 1) + SECOND)).isEqualTo(30);
    assertThat(log.slots().get(0)).isZero();
  }

  @Test
  void aPacerThatNeverSawASnapshotEmitsNothing() {
    assertThat(pacer.finish(at(10, 1))).isZero();
    assertThat(log.emitted).isEmpty();
  }

  @Test
  void advanceToEmitsOnlyTheSlotsBeforeTheOneContainingTheTime() {
    pacer.offer("a", at(0, 1));

    pacer.advanceTo(at(10, 30) + SECOND / 300); // inside slot 10
    assertThat(log.slots()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(log.frames()).containsOnly("a");

    pacer.advanceTo(at(10, 30) + SECOND / 300); // same time again: nothing new
    assertThat(log.emitted).hasSize(10);
  }

  @Test
  void aSnapshotTimedBeforeAnAdvanceLandsInTheNextFreeSlot() {
    pacer.offer("a", at(0, 1));
    pacer.advanceTo(at(10, 30));

    pacer.offer("late", at(3, 30)); // belongs to slot 3, which is already out
    pacer.finish(at(10, 30));

    assertThat(log.emitted.get(10)).isEqualTo(new PacerLog.Emitted("late", 10, false));
    assertThat(log.emitted).hasSize(11);
  }

  @Test
  void finishAfterAnAdvanceDoesNotAddAFrameBeyondTheStopTime() {
    pacer.offer("a", at(0, 1));
    pacer.advanceTo(at(10, 30)); // emits slots 0..9

    // round((stop - origin) * fps) = 10 and the snapshot (slot 0) was shown: 10 frames, not 11.
    assertThat(pacer.finish(at(10, 30))).isEqualTo(10);
    assertThat(log.emitted).hasSize(10);
  }

  @Test
  void timesGoingBackwardsAreTreatedAsTheLatestTime() {
    pacer.offer("a", at(0, 1));
    pacer.offer("b", at(5, 30));
    pacer.offer("c", at(2, 30)); // earlier than b: same slot as b, so b is dropped

    pacer.finish(at(6, 30));

    assertThat(log.frames()).containsExactly("a", "a", "a", "a", "a", "c");
    assertThat(log.dropped).containsExactly("b");
  }

  @Test
  void everyFrameIsReleasedExactlyOnce() {
    pacer.offer("a", at(0, 1));
    pacer.offer("b", at(1, 100)); // 0.3 slots: supersedes a within slot 0
    pacer.offer("c", at(1, 10));
    pacer.finish(at(1, 5));

    assertThat(log.releases).containsOnlyKeys("a", "b", "c").allSatisfy((k, v) -> assertThat(v)
        .isEqualTo(1));
    assertThat(log.dropped).containsExactly("a");
    assertThat(log.retired).containsExactly("b", "c");
  }

  @Test
  void abandonReleasesTheHeldFrameAndEndsThePacer() {
    pacer.offer("a", at(0, 1));
    pacer.abandon();

    assertThat(log.retired).containsExactly("a");
    assertThat(log.emitted).isEmpty();
    assertThatThrownBy(() -> pacer.offer("b", at(1, 1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> pacer.finish(at(1, 1))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFinishedPacerRefusesMoreInput() {
    pacer.offer("a", at(0, 1));
    pacer.finish(at(1, 1));

    assertThatThrownBy(() -> pacer.offer("b", at(2, 1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> pacer.advanceTo(at(2, 1))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void oneSnapshotNeverFillsMoreThanTheCapOfSlotsAndTheGridFollowsTheJump() {
    PacerLog capped = new PacerLog();
    FramePacer<String> p = new FramePacer<>(30, capped, 90);
    p.offer("a", 0);
    p.offer("b", Duration.ofDays(3650).toNanos()); // a clock leaping ten years ahead
    assertThat(p.emitted()).isEqualTo(90); // "a" shown for the capped gap only
    p.offer("c", Duration.ofDays(3650).plusSeconds(1).toNanos());
    assertThat(p.emitted()).isEqualTo(120); // one second later on the moved grid: 30 slots
    assertThat(p.finish(Duration.ofDays(3650).plusSeconds(1).toNanos())).isEqualTo(121);
    assertThat(p.dropped()).isZero();
    assertThatThrownBy(() -> new FramePacer<>(30, capped, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsFrameRatesThatAreNotPositiveAndFinite() {
    for (double fps : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new FramePacer<>(fps, log))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("fps");
    }
  }

  @Test
  void slotsRoundToNearest() {
    pacer.offer("a", at(0, 1));
    assertThat(pacer.slotOf(at(0, 1) + SECOND / 60 - 1)).isZero(); // just under half a slot
    assertThat(pacer.slotOf(at(0, 1) + SECOND / 60 + 1)).isEqualTo(1); // just over half a slot
    assertThat(pacer.slotOf(at(0, 1) - SECOND)).isZero(); // before the origin
  }
}
