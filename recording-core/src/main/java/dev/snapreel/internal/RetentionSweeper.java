package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.StorageException;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.RecordingQuery;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

  private static final RecordingQuery EXPIRABLE = RecordingQuery.status(
      RecordingStatus.COMPLETED, RecordingStatus.RECOVERED, RecordingStatus.FAILED);
  private static final int PAGE = 200;

  private final Catalog catalog;
  private final RecordingIndex index;
  private final ActiveRecordings<?> active;
  private final Clock clock;
  private @Nullable ScheduledExecutorService scheduler;

  public RetentionSweeper(
      Catalog catalog, RecordingIndex index, ActiveRecordings<?> active, Clock clock) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.index = requireNonNull(index, "index");
    this.active = requireNonNull(active, "active");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Deletes every finished recording created more than {@code age} ago, found through the index
   * (no storage listing). Returns how many. Never deletes what is not safely stored yet or is the
   * only copy of something that went wrong: active or finalizing recordings, {@code upload_pending}
   * ones (their only copy is local), and failed ones that kept a file (a salvaged or raw partial
   * video someone may still need).
   */
  public int cleanupOlderThan(Duration age) {
    requireNonNull(age, "age");
    Instant cutoff = clock.instant().minus(age);
    RecordingQuery expired = EXPIRABLE.olderThan(cutoff);
    int deleted = 0;
    String cursor = null;
    do {
      RecordingPage page = catalog.find(expired, PageRequest.after(PAGE, cursor));
      for (RecordingMetadata m : page.recordings()) {
        if (active.isActive(m.recordingId()) || !expirable(m)) {
          continue;
        }
        try {
          catalog.deleteStored(m);
          deleted++;
        } catch (StorageException e) {
          log.warn("retention: could not delete {}: {}", m.recordingId(), e.getMessage());
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return deleted;
  }

  /** Whether retention may delete a recording at all, whatever its age. */
  static boolean expirable(RecordingMetadata m) {
    RecordingStatus status = m.status();
    if (status.active() || status == RecordingStatus.UPLOAD_PENDING) {
      return false;
    }
    return !(status == RecordingStatus.FAILED && m.fileSizeBytes() > 0);
  }

  /** Starts deleting recordings older than {@code retention} periodically. */
  public synchronized void schedule(Duration retention) {
    if (scheduler != null) {
      throw new IllegalStateException("already scheduled");
    }
    ScheduledExecutorService s = DaemonThreads.scheduler("snapreel-retention");
    long periodMinutes = Math.max(1, Math.min(60, retention.toMinutes() / 4));
    ScheduledFuture<?> unused = s.scheduleWithFixedDelay(
        () -> {
          try {
            // several hosts sharing the index: one sweeps at a time, the others skip this round
            boolean ran = index.runExclusively("snapreel-retention", () -> {
              int deleted = cleanupOlderThan(retention);
              if (deleted > 0) {
                log.info("retention: deleted {} recordings older than {}", deleted, retention);
              }
            });
            if (!ran) {
              log.debug("retention: another host is sweeping");
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
