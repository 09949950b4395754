package dev.snapreel.pacing;

import static java.util.Objects.requireNonNull;

import dev.snapreel.internal.FramePacer;
import java.util.Arrays;

/**
 * What a recording shows, computed the way the recording service paces snapshots (the semantics of
 * FFmpeg's {@code fps} filter: output slot {@code n} lies {@code n / fps} after the first snapshot
 * and shows the latest snapshot whose rounded slot is {@code <= n}; the last one is held up to the
 * stop time). For tools that compare a recorded video with its input, frame by frame.
 *
 * @since 0.1.0
 */
public final class Pacing {
  private Pacing() {}

  /**
   * Which snapshot each output slot of a {@code fps} recording shows.
   *
   * @param fps output frame rate, {@code > 0}
   * @param snapshotNanos the snapshots' monotonic times, in arrival order
   * @param stopNanos when the recording stopped, on the same clock
   * @return for each output slot, the index in {@code snapshotNanos} of the snapshot it shows
   * @throws IllegalArgumentException if {@code fps} is not positive and finite
   */
  public static int[] slotSources(double fps, long[] snapshotNanos, long stopNanos) {
    requireNonNull(snapshotNanos, "snapshotNanos");
    int[][] sources = {new int[Math.max(16, snapshotNanos.length * 2)]};
    int[] count = {0};
    FramePacer<Integer> pacer = new FramePacer<>(fps, new FramePacer.Listener<>() {
      @Override
      public void emit(Integer frame, long slot, boolean duplicate) {
        int s = Math.toIntExact(slot);
        if (s >= sources[0].length) {
          sources[0] = Arrays.copyOf(sources[0], Math.max(s + 1, sources[0].length * 2));
        }
        sources[0][s] = frame;
        count[0] = Math.max(count[0], s + 1);
      }

      @Override
      public void dropped(Integer frame) {}
    });
    for (int i = 0; i < snapshotNanos.length; i++) {
      pacer.offer(i, snapshotNanos[i]);
    }
    pacer.finish(stopNanos);
    return Arrays.copyOf(sources[0], count[0]);
  }
}
