package dev.snapreel.benchmarks.load;

import dev.snapreel.benchmarks.corpus.SnapshotTimeline;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Delivers every session's snapshots at their timeline's times, in time order, from the calling
 * thread: session {@code s}'s snapshot {@code j} is due at {@code t0 + stagger[s] + offset(j)}. One
 * thread for all sessions is enough because a delivery only enqueues (a recording's write, or a
 * WebSocket send), as a host's message handler does.
 */
final class RealTimeFeed {
  /** Receives snapshot {@code index} of session {@code session} at {@code nowNanos}. */
  @FunctionalInterface
  interface Target {
    void deliver(int session, int index, long nowNanos) throws Exception;
  }

  private RealTimeFeed() {}

  /** Session {@code i} of {@code n} starts {@code i / n} of a 5 FPS period late, as independent clients do. */
  static long[] stagger(int n) {
    long[] stagger = new long[n];
    for (int i = 0; i < n; i++) {
      stagger[i] = i * 200_000_000L / n;
    }
    return stagger;
  }

  /**
   * Runs the feed to its last snapshot and returns how late each delivery was against its due
   * time (nanoseconds, in delivery order): the feeder's own lag, which is not the system's.
   */
  static long[] run(SnapshotTimeline[] timelines, long[] stagger, long t0, Target target)
      throws Exception {
    PriorityQueue<long[]> events = new PriorityQueue<>(Comparator.comparingLong(e -> e[0]));
    int total = 0;
    for (int i = 0; i < timelines.length; i++) {
      total += timelines[i].size();
      if (timelines[i].size() > 0) {
        events.add(new long[] {stagger[i] + timelines[i].offsetNanos(0), i, 0});
      }
    }
    long[] lateness = new long[total];
    int delivered = 0;
    while (!events.isEmpty()) {
      long[] e = events.poll();
      int s = (int) e[1];
      int j = (int) e[2];
      long due = t0 + e[0];
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long now = System.nanoTime();
      lateness[delivered++] = Math.max(0, now - due);
      target.deliver(s, j, now);
      if (j + 1 < timelines[s].size()) {
        events.add(new long[] {stagger[s] + timelines[s].offsetNanos(j + 1), s, j + 1});
      }
    }
    return Arrays.copyOf(lateness, delivered);
  }
}
