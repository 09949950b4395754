package dev.snapreel.benchmarks.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SnapshotTimelineTest {
  @Test
  void snapshotsArriveAboutEveryFifthOfASecondWithinTheJitter() {
    SnapshotTimeline timeline = SnapshotTimeline.generate(
        1, 5.0, Duration.ofSeconds(20), Duration.ofMillis(60), 0, Duration.ZERO, Duration.ZERO);
    assertThat(timeline.size()).isEqualTo(100);
    assertThat(timeline.offsetNanos(0)).isZero();
    for (int i = 1; i < timeline.size(); i++) {
      assertThat(timeline.offsetNanos(i))
          .isBetween(i * 200_000_000L - 60_000_000L, i * 200_000_000L + 60_000_000L);
      assertThat(timeline.offsetNanos(i)).isGreaterThan(timeline.offsetNanos(i - 1));
    }
  }

  @Test
  void stallsLeaveGapsAndFewerSnapshots() {
    SnapshotTimeline timeline = SnapshotTimeline.webcam(3, Duration.ofSeconds(120));
    assertThat(timeline.stalls()).isPositive();
    assertThat(timeline.size()).isLessThan(600);
    long longestGap = 0;
    for (int i = 1; i < timeline.size(); i++) {
      longestGap = Math.max(longestGap, timeline.offsetNanos(i) - timeline.offsetNanos(i - 1));
    }
    assertThat(longestGap).isGreaterThan(500_000_000L);
    assertThat(timeline.offsetNanos(timeline.size() - 1)).isLessThan(120_000_000_000L);
  }

  @Test
  void theSameSeedGivesTheSameTimeline() {
    SnapshotTimeline a = SnapshotTimeline.webcam(9, Duration.ofSeconds(30));
    SnapshotTimeline b = SnapshotTimeline.webcam(9, Duration.ofSeconds(30));
    assertThat(a.size()).isEqualTo(b.size());
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.offsetNanos(i)).isEqualTo(b.offsetNanos(i));
    }
  }

  @Test
  void slotSourcesShowEachSnapshotFromItsSlotOnAtThirtyFps() {
    SnapshotTimeline timeline = SnapshotTimeline.generate(
        1, 5.0, Duration.ofSeconds(2), Duration.ZERO, 0, Duration.ZERO, Duration.ZERO);
    int[] sources = timeline.slotSources(30.0, 2_000_000_000L);
    assertThat(sources).hasSize(60);
    for (int slot = 0; slot < sources.length; slot++) {
      assertThat(sources[slot]).as("slot %d", slot).isEqualTo(slot / 6);
    }
  }
}
