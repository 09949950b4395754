package dev.snapreel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProcessMetricsTest {
  @Test
  void cpuTicksAreUtimePlusStimeEvenWithParenthesesAndSpacesInTheName() {
    String stat =
        "14302 (my (odd) name) S 14278 14278 5793 0 -1 4194304 13472 0 2 0 57 4 0 0 20 0 20 0 600519 "
            + "9189814272 19617 18446744073709551615";
    assertThat(ProcessMetrics.cpuTicksFromStat(stat)).isEqualTo(61);
  }

  @Test
  void heapUsedComesFromTheHeapLineNotMetaspace() {
    String info =
        "14302:\n garbage-first heap   total 397312K, used 17946K [0x0000000687400000, 0x0000000800000000)\n"
            + "  region size 4096K, 4 young (16384K), 0 survivors (0K)\n"
            + " Metaspace       used 8934K, committed 9088K, reserved 1114112K\n";
    assertThat(ProcessMetrics.heapUsedFromHeapInfo(info)).isEqualTo(17946L * 1024);
    assertThat(ProcessMetrics.heapUsedFromHeapInfo("14302:\nCommand not found\n"))
        .isEqualTo(-1);
  }

  @Test
  void anotherProcessIsMeasuredLikeThisOne() {
    long pid = ProcessHandle.current().pid();
    long viaProc = ProcessMetrics.cpuNanos(pid);
    long viaJmx = ProcessMetrics.cpuNanos();
    assertThat(viaProc).isPositive();
    // /proc counts 10 ms ticks; both clocks run on, so allow a little drift between the two reads.
    assertThat((double) viaProc).isCloseTo(viaJmx, within(200_000_000.0));
    assertThat((double) ProcessMetrics.rssBytes(pid))
        .isCloseTo(ProcessMetrics.rssBytes(), within(16.0 * (1 << 20)));
    assertThat(ProcessMetrics.cpuNanos(Long.MAX_VALUE)).isEqualTo(-1);
    assertThat(ProcessMetrics.rssBytes(Long.MAX_VALUE)).isEqualTo(-1);
  }
}
