package dev.snapreel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One session for 3 s through a real example host in a child JVM: the harness' plumbing (start,
 * REST, WebSocket pairing, recordings read back, /proc and jcmd probes), not its figures. Whether
 * the level "kept up" is not asserted: a cold host on a busy machine may legitimately not.
 */
class WebSocketLoadSmokeTest {
  @Test
  @Timeout(90)
  void oneSessionIsRecordedAndEveryFrameAnswered(@TempDir Path out) throws Exception {
    WebSocketLoad load = new WebSocketLoad(new String[] {
      "--sessions",
      "1",
      "--duration",
      "3",
      "--resolution",
      "640x360",
      "--host-heap",
      "256m",
      "--out",
      out.toString()
    });
    WebSocketLoad.Level level;
    try (ExampleHost host = load.startHost(out.resolve("recordings"))) {
      level = load.level(host, 1, Duration.ofSeconds(3));
      assertThat(host.alive()).isTrue();
    }

    // 5 FPS for 3 s, fewer if the timeline stalls; each frame has exactly one reply.
    assertThat(level.replies()).isBetween(8, 15);
    assertThat(level.detections()).isEqualTo(level.replies());
    assertThat(level.replyP50Ms()).isPositive().isLessThanOrEqualTo(level.replyP99Ms());
    assertThat(level.replyP99Ms()).isLessThanOrEqualTo(level.replyMaxMs());
    // The recording covers the wall time from the first frame to the end request at 30 FPS.
    assertThat(level.framesExpected()).isBetween(80L, 130L);
    assertThat(level.framesWritten())
        .isBetween(level.framesExpected() - 15, level.framesExpected() + 15);
    assertThat(level.dropped()).isZero();
    assertThat(level.fileMbPerMinute()).isPositive();
    assertThat(level.hostCpuPerMinute()).isPositive();
    // The memory probes measure the host, in MB: opening a session (encoder, decoder, queue) grows
    // its resident set, and its live heap after a full GC by far less than the 256 MB heap.
    assertThat(level.rssPerSessionMb()).isStrictlyBetween(0.0, 512.0);
    assertThat(level.heapPerSessionMb()).isBetween(-64.0, 64.0);
    assertThat(level.why()).doesNotContain("unanswered", "error", "failed");
  }
}
