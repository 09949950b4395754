package dev.snapreel.index.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.testkit.PostgresServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Two hosts on one PostgreSQL: an exclusive task (retention) runs on one of them at a time. */
class PostgresExclusiveTaskTest {
  @Test
  void oneHostAtATimeRunsAnExclusiveTask() throws Exception {
    String db = PostgresServer.shared().newDatabase();
    try (JdbcRecordingIndex a = JdbcRecordingIndex.builder().url(db).build();
        JdbcRecordingIndex b = JdbcRecordingIndex.builder().url(db).build()) {
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean bRan = new AtomicBoolean();
      Thread hostA = new Thread(() -> a.runExclusively("retention", () -> {
        inside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      hostA.start();
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(b.runExclusively("retention", () -> bRan.set(true)))
          .as("host B skips while A sweeps")
          .isFalse();
      assertThat(bRan).isFalse();
      assertThat(b.runExclusively("another-task", () -> {})).isTrue();
      release.countDown();
      hostA.join(10_000);
      assertThat(b.runExclusively("retention", () -> bRan.set(true)))
          .as("free again")
          .isTrue();
      assertThat(bRan).isTrue();
    }
  }

  @Test
  void lockKeysAreStablePerName() {
    assertThat(JdbcRecordingIndex.lockKey("retention"))
        .isEqualTo(JdbcRecordingIndex.lockKey("retention"))
        .isNotEqualTo(JdbcRecordingIndex.lockKey("retention2"));
  }
}
