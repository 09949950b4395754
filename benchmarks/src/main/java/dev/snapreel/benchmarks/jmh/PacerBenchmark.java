package dev.snapreel.benchmarks.jmh;

import dev.snapreel.benchmarks.corpus.SnapshotTimeline;
import dev.snapreel.pacing.FramePacer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pacer's bookkeeping per snapshot: one {@code offer} of a jittered 5 FPS snapshot onto the
 * 30 FPS grid (about six slot emissions to a listener that only consumes them), and a whole
 * one-minute recording's offers plus {@code finish}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class PacerBenchmark {
  private SnapshotTimeline minute;
  private FramePacer<Object> pacer;
  private final Object frame = new Object();
  private long time;
  private int index;
  private Blackhole blackhole;
  private CpuLog cpu;

  @Setup(Level.Trial)
  public void setUp(Blackhole blackhole, BenchmarkParams params) {
    this.blackhole = blackhole;
    minute = SnapshotTimeline.webcam(1, Duration.ofMinutes(1));
    cpu = new CpuLog(params.getBenchmark(), "");
    pacer = newPacer();
  }

  @Setup(Level.Iteration)
  public void beginIteration() {
    cpu.begin();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    cpu.end();
  }

  private FramePacer<Object> newPacer() {
    Blackhole bh = blackhole;
    return new FramePacer<>(30.0, new FramePacer.Listener<>() {
      @Override
      public void emit(Object f, long slot, boolean duplicate) {
        bh.consume(slot);
      }

      @Override
      public void dropped(Object f) {
        bh.consume(f);
      }
    });
  }

  @Benchmark
  public long offer() {
    // An endless timeline: the minute's jitter pattern repeated, shifted by a minute each lap.
    if (index == minute.size()) {
      index = 0;
      time += 60_000_000_000L;
    }
    cpu.count();
    pacer.offer(frame, time + minute.offsetNanos(index++));
    return pacer.emitted();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public long oneMinuteRecording() {
    FramePacer<Object> p = newPacer();
    for (int i = 0; i < minute.size(); i++) {
      p.offer(frame, minute.offsetNanos(i));
    }
    cpu.count();
    return p.finish(60_000_000_000L);
  }
}
