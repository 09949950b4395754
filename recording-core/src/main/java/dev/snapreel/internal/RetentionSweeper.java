package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.StorageException;
import dev.snapreel.metadata.RecordingMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished recordings older than an age, on demand or periodically (every quarter of the
 * retention, between 1 and 60 minutes) on its own daemon thread.
 */
public final class RetentionSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

  private final Catalog catalog;
  private final ActiveRecordings<?> active;
  private final Clock clock;
  private @Nullable ScheduledExecutorService scheduler;

  public RetentionSweeper(Catalog catalog, ActiveRecordings<?> active, Clock clock) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.active = requireNonNull(active, "active");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Deletes every finished recording created more than {@code age} ago. Returns how many. */
  public int cleanupOlderThan(Duration age) {
    requireNonNull(age, "age");
    Instant cutoff = clock.instant().minus(age);
    int deleted = 0;
    for (RecordingMetadata m : catalog.stored()) {
      if (active.isActive(m.recordingId()) || !m.createdAt().isBefore(cutoff)) {
        continue;
      }
      try {
        catalog.deleteStored(m);
        deleted++;
      } catch (StorageException e) {
        log.warn("retention: could not delete {}: {}", m.recordingId(), e.getMessage());
      }
    }
    return deleted;
  }

  /** Starts deleting recordings older than {@code retention} periodically. */
  public synchronized void schedule(Duration retention) {
    if (scheduler != null) {
      throw new IllegalStateException("already scheduled");
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "snapreel-retention");
              t.setDaemon(true);
              return t;
            });
    long periodMinutes = Math.max(1, Math.min(60, retention.toMinutes() / 4));
    ScheduledFuture<?> unused = s.scheduleWithFixedDelay(
        () -> {
          try {
            int deleted = cleanupOlderThan(retention);
            if (deleted > 0) {
              log.info("retention: deleted {} recordings older than {}", deleted, retention);
            }
          } catch (RuntimeException e) {
            log.warn("retention clean-up failed: {}", e.toString());
          }
        },
        1,
        periodMinutes * 60,
        TimeUnit.SECONDS);
    scheduler = s;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
