package dev.snapreel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The pacer against a plainly written reference model of vf_fps, over random monotonic timelines:
 * jittery ~5 fps sources, bursts, multi-second stalls, frame rates 15..60.
 */
class FramePacerPropertiesTest {
  private static final long MS = 1_000_000L;

  /** A gap before the next snapshot; {@code advanceAt} in [0,1] places an advanceTo inside it, NaN none. */
  record Gap(long nanos, double advanceAt) {}

  /** Snapshot {@code i} is offered as the string {@code "s" + i} at {@code times[i]}. */
  record Timeline(double fps, long[] times, long stop, double[] advanceAt, double finalAdvanceAt) {
    long origin() {
      return times[0];
    }

    long slotOf(long t) {
      return Math.max(0, Math.round((t - origin()) / 1e9 * fps));
    }
  }

  @Provide
  Arbitrary<Timeline> timelines() {
    Arbitrary<Long> gapNanos = Arbitraries.frequencyOf(
        Tuple.of(70, Arbitraries.longs().between(100 * MS, 300 * MS)), // ~5 fps, jittery
        Tuple.of(12, Arbitraries.longs().between(0, 25 * MS)), // bursts
        Tuple.of(8, Arbitraries.longs().between(0, 1000 * MS)),
        Tuple.of(5, Arbitraries.longs().between(1000 * MS, 4000 * MS))); // stalls
    Arbitrary<Double> advance = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(Double.NaN)),
        Tuple.of(1, Arbitraries.just(1.0)), // right up to the next event
        Tuple.of(2, Arbitraries.doubles().between(0, 1).ofScale(3)));
    Arbitrary<Gap> gap = Combinators.combine(gapNanos, advance).as(Gap::new);
    Arbitrary<List<Gap>> gaps = gap.list().ofMinSize(0).ofMaxSize(120);
    Arbitrary<Double> fps = Arbitraries.doubles().between(15, 60).ofScale(2);
    Arbitrary<Long> origin = Arbitraries.longs().between(-5_000_000_000L, 5_000_000_000L);
    Arbitrary<Long> stopAfterLast = Arbitraries.longs().between(-100 * MS, 2000 * MS);
    return Combinators.combine(fps, origin, gaps, stopAfterLast, advance)
        .as((f, o, g, stopExtra, finalAdvance) -> {
          long[] times = new long[g.size() + 1];
          double[] advanceAt = new double[g.size()];
          times[0] = o;
          for (int i = 0; i < g.size(); i++) {
            times[i + 1] = times[i] + g.get(i).nanos();
            advanceAt[i] = g.get(i).advanceAt();
          }
          return new Timeline(
              f, times, times[times.length - 1] + stopExtra, advanceAt, finalAdvance);
        });
  }

  /** The reference: slot n shows the latest snapshot whose slot is <= n; frames up to the stop time. */
  static List<PacerLog.Emitted> referenceModel(Timeline t) {
    int count = t.times().length;
    long lastSlot = t.slotOf(t.times()[count - 1]);
    long frames = Math.max(Math.round((t.stop() - t.origin()) / 1e9 * t.fps()), lastSlot + 1);
    List<PacerLog.Emitted> out = new ArrayList<>();
    String previous = null;
    for (long n = 0; n < frames; n++) {
      String shown = null;
      for (int i = 0; i < count; i++) {
        if (t.slotOf(t.times()[i]) <= n) {
          shown = "s" + i;
        }
      }
      out.add(new PacerLog.Emitted(shown, n, shown.equals(previous)));
      previous = shown;
    }
    return out;
  }

  private static PacerLog run(Timeline t, boolean withAdvances) {
    PacerLog log = new PacerLog();
    FramePacer<String> pacer = new FramePacer<>(t.fps(), log);
    long[] times = t.times();
    for (int i = 0; i < times.length; i++) {
      pacer.offer("s" + i, times[i]);
      if (withAdvances && i + 1 < times.length && !Double.isNaN(t.advanceAt()[i])) {
        // Like the writer's idle tick: never past the next snapshot's time.
        pacer.advanceTo(times[i] + (long) ((times[i + 1] - times[i]) * t.advanceAt()[i]));
      }
    }
    long last = times[times.length - 1];
    if (withAdvances && !Double.isNaN(t.finalAdvanceAt()) && t.stop() > last) {
      pacer.advanceTo(last + (long) ((t.stop() - last) * t.finalAdvanceAt()));
    }
    long emitted = pacer.finish(t.stop());
    assertThat(emitted).isEqualTo(log.emitted.size()).isEqualTo(pacer.emitted());
    assertThat(pacer.duplicated()).isEqualTo(log.duplicates());
    assertThat(pacer.dropped()).isEqualTo(log.dropped.size());
    return log;
  }

  @Property(tries = 400)
  void frameCountIsTheStopTimeOnTheGridButShowsTheLastSnapshot(@ForAll("timelines") Timeline t) {
    PacerLog log = run(t, false);

    long lastSlot = t.slotOf(t.times()[t.times().length - 1]);
    long expected = Math.max(Math.round((t.stop() - t.origin()) / 1e9 * t.fps()), lastSlot + 1);
    assertThat((long) log.emitted.size()).isEqualTo(expected);
  }

  @Property(tries = 400)
  void slotsAreEmittedConsecutivelyFromZero(@ForAll("timelines") Timeline t) {
    PacerLog log = run(t, true);

    List<Long> slots = log.slots();
    for (int i = 0; i < slots.size(); i++) {
      assertThat(slots.get(i)).isEqualTo(i);
    }
  }

  @Property(tries = 400)
  void eachSlotShowsTheLatestSnapshotWhoseSlotIsNotLater(@ForAll("timelines") Timeline t) {
    assertThat(run(t, false).emitted).isEqualTo(referenceModel(t));
  }

  @Property(tries = 400)
  void advancingWithoutOvertakingTheSourceDoesNotChangeTheOutput(@ForAll("timelines") Timeline t) {
    assertThat(run(t, true).emitted).isEqualTo(referenceModel(t));
  }

  @Property(tries = 400)
  void everySnapshotIsEitherDroppedOrShown(@ForAll("timelines") Timeline t) {
    PacerLog log = run(t, true);

    Set<String> shown = new HashSet<>(log.frames());
    assertThat(log.dropped).doesNotContainAnyElementsOf(shown);
    assertThat(log.dropped.size() + shown.size()).isEqualTo(t.times().length);
  }

  @Property(tries = 400)
  void everySnapshotIsReleasedExactlyOnce(@ForAll("timelines") Timeline t) {
    PacerLog log = run(t, true);

    assertThat(log.releases).hasSize(t.times().length);
    assertThat(log.releases.values()).containsOnly(1);
    // A frame is released only once no later slot shows it: never emitted after release (PacerLog
    // checks).
    assertThat(log.retired).containsExactlyInAnyOrderElementsOf(new HashSet<>(log.frames()));
  }
}
