package dev.snapreel.benchmarks.jmh;

import dev.snapreel.benchmarks.corpus.SnapshotTimeline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The pacer's bookkeeping: a whole one-minute recording of jittered 5 FPS snapshots paced onto the
 * 30 FPS grid, through the public {@link dev.snapreel.pacing.Pacing} (the recording's own pacer;
 * divide by the timeline's ~300 snapshots for the cost of one).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class PacerBenchmark {
  private SnapshotTimeline minute;
  private CpuLog cpu;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    minute = SnapshotTimeline.webcam(1, Duration.ofMinutes(1));
    cpu = new CpuLog(params.getBenchmark(), "");
  }

  @Setup(Level.Iteration)
  public void beginIteration() {
    cpu.begin();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    cpu.end();
  }

  @Benchmark
  public int oneMinuteRecording() {
    cpu.count();
    return minute.slotSources(30.0, 60_000_000_000L).length;
  }
}
