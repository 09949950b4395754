package dev.snapreel.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Whole-process CPU time, heap after a full GC, and resident set size (Linux), of this JVM or of
 * another process by pid (the example host the WebSocket mode starts).
 */
final class ProcessMetrics {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  /** {@code GC.heap_info}'s first line: {@code garbage-first heap   total 1048576K, used 23456K [...]}. */
  private static final Pattern HEAP_USED =
      Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

  private ProcessMetrics() {}

  /** CPU time of every thread of this JVM (user + system), in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Heap in use after a full collection: what the live objects need, not garbage in flight. */
  static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Busy CPU time of the whole machine (all processes) from {@code /proc/stat}, in nanoseconds;
   * -1 if unavailable. Minus this process' CPU it tells how much other work competed for the cores.
   */
  static long machineBusyNanos() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = WHITESPACE.split(first.trim(), -1);
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Resident set size from {@code /proc/self/status} ({@code VmRSS}): heap pages touched plus native
   * memory (FFmpeg frames and encoder state, which the Java heap does not show). -1 if unavailable.
   */
  static long rssBytes() {
    return rssBytes(Path.of("/proc/self/status"));
  }

  /** Resident set size of process {@code pid}; -1 if unavailable (e.g. it has exited). */
  static long rssBytes(long pid) {
    return rssBytes(Path.of("/proc", Long.toString(pid), "status"));
  }

  private static long rssBytes(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          String[] f = WHITESPACE.split(line.trim(), -1);
          return Long.parseLong(f[1]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * CPU time (user + system, all threads) of process {@code pid} from {@code /proc/<pid>/stat}, in
   * nanoseconds; -1 if unavailable. Clock-tick resolution (10 ms), ample over a load level.
   */
  static long cpuNanos(long pid) {
    try {
      return cpuTicksFromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
          * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * utime + stime, in clock ticks, from the one line of {@code /proc/<pid>/stat}. The command name
   * (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are counted
   * from the last ')'.
   */
  static long cpuTicksFromStat(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] f = WHITESPACE.split(stat.substring(close + 1).trim(), -1);
    // f[0] is field 3 (state); utime and stime are fields 14 and 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * Heap in use after a full collection in the JVM {@code pid}, through the JDK's {@code jcmd}
   * ({@code GC.run}, then {@code GC.heap_info}); -1 if that fails. The collection pauses the target:
   * call it only while nothing is being timed.
   */
  static long heapAfterGc(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return -1;
    }
    try {
      if (jcmd(jcmd, pid, "GC.run") == null) {
        return -1;
      }
      String info = jcmd(jcmd, pid, "GC.heap_info");
      return info == null ? -1 : heapUsedFromHeapInfo(info);
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Bytes used from {@code jcmd <pid> GC.heap_info} output; -1 if no heap line is found. */
  static long heapUsedFromHeapInfo(String info) {
    Matcher m = HEAP_USED.matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  private static @Nullable String jcmd(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
        .redirectErrorStream(true)
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      return null;
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
