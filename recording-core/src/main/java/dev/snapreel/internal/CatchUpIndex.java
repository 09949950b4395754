package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.index.IndexException;
import dev.snapreel.index.OwnerUsage;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.RecordingQuery;
import dev.snapreel.metadata.RecordingMetadata;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps recording while the index is down: a write the index refuses ({@link IndexException}) is
 * kept, latest per recording, and replayed in order by a background thread until the index takes
 * it. Later writes of a recording with a pending one queue behind it, so none overtakes another.
 * Reads go straight to the index and fail while it is down (the host answers 503).
 */
public final class CatchUpIndex implements RecordingIndex {
  private static final Logger log = LoggerFactory.getLogger(CatchUpIndex.class);

  /** A write to replay: the metadata to put, or a removal. */
  private record Pending(@Nullable RecordingMetadata put, String ownerId, String recordingId) {}

  private final RecordingIndex index;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final ScheduledExecutorService retry;

  public CatchUpIndex(RecordingIndex index, Duration retryEvery) {
    this.index = requireNonNull(index, "index");
    this.retry = DaemonThreads.scheduler("snapreel-index-catch-up");
    long ms = Math.max(10, retryEvery.toMillis());
    java.util.concurrent.ScheduledFuture<?> unused =
        retry.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The index this one writes through to. */
  public RecordingIndex delegate() {
    return index;
  }

  /** Writes waiting for the index to come back. */
  public synchronized int pendingWrites() {
    return pending.size();
  }

  @Override
  public void put(RecordingMetadata metadata) {
    write(new Pending(metadata, metadata.ownerId(), metadata.recordingId()));
  }

  @Override
  public void putAll(Collection<RecordingMetadata> recordings) {
    synchronized (this) {
      if (pending.isEmpty()) {
        try {
          index.putAll(recordings);
          return;
        } catch (IndexException e) {
          log.warn(
              "index unavailable, {} writes kept for later: {}", recordings.size(), e.getMessage());
        }
      }
      for (RecordingMetadata m : recordings) {
        pending.remove(m.recordingId());
        pending.put(m.recordingId(), new Pending(m, m.ownerId(), m.recordingId()));
      }
    }
  }

  /** Like {@link #put}: a recording this service writes is its own, so it is never lost. */
  @Override
  public boolean update(RecordingMetadata metadata) {
    synchronized (this) {
      if (!pending.containsKey(metadata.recordingId())) {
        try {
          return index.update(metadata);
        } catch (IndexException e) {
          log.warn(
              "index unavailable, update of {} kept for later: {}",
              metadata.recordingId(),
              e.getMessage());
        }
      }
      pending.remove(metadata.recordingId());
      pending.put(
          metadata.recordingId(),
          new Pending(metadata, metadata.ownerId(), metadata.recordingId()));
      return true;
    }
  }

  @Override
  public boolean remove(String ownerId, String recordingId) {
    write(new Pending(null, ownerId, recordingId));
    return true;
  }

  private synchronized void write(Pending w) {
    if (!pending.containsKey(w.recordingId())) {
      try {
        apply(w);
        return;
      } catch (IndexException e) {
        log.warn(
            "index unavailable, write of {} kept for later: {}", w.recordingId(), e.getMessage());
      }
    }
    pending.remove(w.recordingId()); // re-insert at the end: replay order is write order
    pending.put(w.recordingId(), w);
  }

  private void apply(Pending w) {
    RecordingMetadata m = w.put();
    if (m != null) {
      index.put(m);
    } else {
      index.remove(w.ownerId(), w.recordingId());
    }
  }

  /** Replays pending writes in order; stops at the first the index still refuses. */
  public synchronized int flush() {
    int done = 0;
    var it = pending.values().iterator();
    while (it.hasNext()) {
      Pending w = it.next();
      apply(w); // throws while the index is down
      it.remove();
      done++;
    }
    return done;
  }

  private void flushQuietly() {
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
    }
    try {
      int n = flush();
      if (n > 0) {
        log.info("index is back: {} kept writes applied", n);
      }
    } catch (IndexException e) {
      log.debug("index still unavailable: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("index catch-up failed: {}", e.toString());
    }
  }

  @Override
  public Optional<RecordingMetadata> get(String ownerId, String recordingId) {
    return index.get(ownerId, recordingId);
  }

  @Override
  public RecordingPage list(String ownerId, PageRequest page) {
    return index.list(ownerId, page);
  }

  @Override
  public RecordingPage list(String ownerId, String sessionId, PageRequest page) {
    return index.list(ownerId, sessionId, page);
  }

  @Override
  public OwnerUsage usage(String ownerId) {
    return index.usage(ownerId);
  }

  @Override
  public RecordingPage find(RecordingQuery query, PageRequest page) {
    return index.find(query, page);
  }

  @Override
  public boolean runExclusively(String taskName, Runnable task) {
    return index.runExclusively(taskName, task);
  }

  /** Tries once more to apply what is pending, then closes the index. */
  @Override
  public void close() {
    retry.shutdownNow();
    try {
      flush();
    } catch (RuntimeException e) {
      synchronized (this) {
        log.warn(
            "closing with {} index writes not applied (a reindex from storage restores them): {}",
            pending.size(),
            e.getMessage());
      }
    }
    index.close();
  }
}
