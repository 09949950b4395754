package dev.snapreel.benchmarks.corpus;

import static java.util.Objects.requireNonNull;

import dev.snapreel.pacing.Pacing;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * When a browser client's snapshots arrive: nominally every {@code 1/fps}, each displaced by a
 * uniform jitter, with occasional stalls (a throttled tab or a frozen camera) during which no
 * snapshot is taken at all. Stalled snapshots are skipped rather than delivered late in a burst:
 * a burst would make the pacer drop frames for reasons unrelated to server load, which is what the
 * load harness measures drops for.
 *
 * <p>Offsets are nanoseconds from the first snapshot (which is at 0), strictly increasing, and
 * depend only on the parameters.
 */
public final class SnapshotTimeline {
  private final long[] offsets;
  private final long durationNanos;
  private final int stalls;

  private SnapshotTimeline(long[] offsets, long durationNanos, int stalls) {
    this.offsets = offsets;
    this.durationNanos = durationNanos;
    this.stalls = stalls;
  }

  /** 5 FPS, +-60 ms jitter, a 0.4-1.5 s stall after ~1 snapshot in 60. */
  public static SnapshotTimeline webcam(long seed, Duration duration) {
    return generate(
        seed,
        5.0,
        duration,
        Duration.ofMillis(60),
        1.0 / 60,
        Duration.ofMillis(400),
        Duration.ofMillis(1500));
  }

  /**
   * A generated timeline.
   *
   * @param fps nominal snapshot rate
   * @param duration snapshots are taken in {@code [0, duration)}
   * @param jitter each snapshot moves by a uniform amount in {@code [-jitter, +jitter]}
   * @param stallProbability chance, per snapshot, that a stall follows it
   */
  public static SnapshotTimeline generate(
      long seed,
      double fps,
      Duration duration,
      Duration jitter,
      double stallProbability,
      Duration minStall,
      Duration maxStall) {
    requireNonNull(duration, "duration");
    requireNonNull(jitter, "jitter");
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, was " + fps);
    }
    long period = Math.round(1e9 / fps);
    long jitterNanos = jitter.toNanos();
    if (jitterNanos < 0 || 2 * jitterNanos >= period) {
      throw new IllegalArgumentException("jitter must be in [0, period/2): " + jitter);
    }
    if (!(stallProbability >= 0 && stallProbability <= 1)) {
      throw new IllegalArgumentException(
          "stallProbability must be in [0, 1], was " + stallProbability);
    }
    if (minStall.isNegative() || maxStall.compareTo(minStall) < 0) {
      throw new IllegalArgumentException("stall range invalid: " + minStall + ".." + maxStall);
    }
    long end = duration.toNanos();
    SplittableRandom random = new SplittableRandom(seed);
    long[] buffer = new long[(int) Math.min(Integer.MAX_VALUE - 8, end / period + 2)];
    int count = 0;
    int stalls = 0;
    long nominal = 0;
    long previous = Long.MIN_VALUE;
    while (nominal < end && count < buffer.length) {
      long time = count == 0
          ? 0
          : nominal + (jitterNanos == 0 ? 0 : random.nextLong(-jitterNanos, jitterNanos + 1));
      time = Math.max(
          time, previous + 1_000_000); // browsers never send two snapshots in one millisecond
      if (time >= end) {
        break;
      }
      buffer[count++] = time;
      previous = time;
      nominal += period;
      if (random.nextDouble() < stallProbability) {
        stalls++;
        long stall = minStall.toNanos()
            + (long) (random.nextDouble() * (maxStall.toNanos() - minStall.toNanos()));
        nominal += stall;
      }
    }
    return new SnapshotTimeline(Arrays.copyOf(buffer, count), end, stalls);
  }

  public int size() {
    return offsets.length;
  }

  /** Offset of snapshot {@code i} from the first, in nanoseconds. */
  public long offsetNanos(int i) {
    return offsets[i];
  }

  public long durationNanos() {
    return durationNanos;
  }

  public int stalls() {
    return stalls;
  }

  /**
   * Which snapshot each output slot of a {@code fps} recording stopped at {@code stopNanos} shows,
   * computed with the core's own pacing ({@link Pacing}), so PSNR can compare each decoded output frame
   * with the snapshot it should show.
   */
  public int[] slotSources(double fps, long stopNanos) {
    return Pacing.slotSources(fps, offsets, stopNanos);
  }
}
