package dev.snapreel.benchmarks.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Thread-CPU time per operation, measured by the benchmark thread itself around each JMH iteration.
 * JMH reports wall time; on a machine shared with other work the two differ, and "CPU seconds per
 * recorded minute" must be CPU. For an encoder that runs threads of its own (libx264 inside OpenCV's
 * VideoWriter) the benchmark thread's CPU misses most of the work, so such a log measures the whole
 * fork's CPU instead (JIT and GC included, little once warmed up). Appends {@code
 * benchmark<TAB>params<TAB>ops<TAB>cpuNanos} lines to {@code snapreel.jmh.cpuLog} (default {@code
 * jmh-cpu.tsv} beside benchmarks.jar), which {@link StageReport} reads.
 */
final class CpuLog {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final String benchmark;
  private final String params;
  private final boolean processWide;
  private long startCpu;
  private long ops;

  CpuLog(String benchmark, String params) {
    this(benchmark, params, false);
  }

  /** {@code processWide}: count every thread of the fork, for encoders with threads of their own. */
  CpuLog(String benchmark, String params, boolean processWide) {
    this.benchmark = benchmark;
    this.params = params;
    this.processWide = processWide;
  }

  private long cpuNow() {
    return processWide ? PROCESS.getProcessCpuTime() : THREADS.getCurrentThreadCpuTime();
  }

  static Path file() {
    String configured = System.getProperty("snapreel.jmh.cpuLog");
    return configured != null
        ? Path.of(configured)
        : dev.snapreel.benchmarks.corpus.WebcamCorpus.targetDirectory().resolve("jmh-cpu.tsv");
  }

  void begin() {
    ops = 0;
    startCpu = cpuNow();
  }

  void count() {
    ops++;
  }

  void end() {
    long cpu = cpuNow() - startCpu;
    if (ops == 0) {
      return;
    }
    String line = String.format(Locale.ROOT, "%s\t%s\t%d\t%d%n", benchmark, params, ops, cpu);
    try {
      Path file = file();
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(
          file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
