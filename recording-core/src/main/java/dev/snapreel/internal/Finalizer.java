package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.index.RecordingIndex;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.upload.Backoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores finished recordings, whichever way they finished: stopped, failed while encoding (the
 * partial file salvaged), or left unfinished by a previous process (recovered). One pipeline for all
 * three: file facts → status → {@code moveIn} → {@code putBytes} of the metadata → index.
 */
public final class Finalizer {
  private static final Logger log = LoggerFactory.getLogger(Finalizer.class);

  private final FrameSink sink;
  private final StorageBackend storage;
  private final WorkDirectory work;
  private final RecordingIndex index;
  private final MetadataUploads uploads;
  private final Clock clock;
  /** Recordings whose storing is being retried, by id, as clients should see them ({@code finalizing}). */
  private final Map<String, RecordingMetadata> pending = new ConcurrentHashMap<>();

  private final Backoff retryBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
  private final ScheduledExecutorService retries =
      DaemonThreads.scheduler("snapreel-finalize-retry");

  public Finalizer(
      FrameSink sink,
      StorageBackend storage,
      WorkDirectory work,
      RecordingIndex index,
      MetadataUploads uploads,
      Clock clock) {
    this.sink = requireNonNull(sink, "sink");
    this.storage = requireNonNull(storage, "storage");
    this.work = requireNonNull(work, "work");
    this.index = requireNonNull(index, "index");
    this.uploads = requireNonNull(uploads, "uploads");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Runs on the writer thread once it has finished: stores the video and the final metadata. If
   * storing fails (full disk, unreachable store) everything stays in the work directory, the
   * recording shows as {@code finalizing} with the reason in {@code error}, and storing is retried in
   * the background with backoff until it succeeds (or at the next start).
   */
  public RecordingMetadata finish(
      RecordingMetadata base, EncodingSpec spec, RecordingWriter.Outcome outcome) {
    String id = base.recordingId();
    RecordingMetadata.Builder result = base.toBuilder()
        .endedAt(clock.instant())
        .stopReason(outcome.stopReason())
        .counters(outcome.received(), outcome.dropped(), outcome.duplicated(), outcome.rejected());
    RecordingMetadata target;
    boolean video;
    try {
      Throwable failure = outcome.failure();
      if (failure == null) {
        result.status(RecordingStatus.COMPLETED);
        target = withFacts(result, id, outcome.frames(), spec.fps());
        // Metadata goes to the work directory first: if storing the video fails, a restart retries.
        work.saveMetadata(target);
        video = true;
      } else {
        // Keep what the partial file holds, playable if the sink can recover it.
        result.status(RecordingStatus.FAILED).error("encoding failed: " + failure.getMessage());
        long frames = work.recoverInto(sink, id, spec);
        if (frames >= 0) {
          target = withFacts(result, id, frames, spec.fps());
          video = true;
        } else {
          target = quarantined(result, id, "encoding failed (" + failure.getMessage() + ")");
          video = false;
        }
      }
    } catch (RuntimeException e) {
      // The local work files themselves could not be read: nothing to store, nothing discarded.
      log.warn(
          "recording {}: could not finalize the video, kept in {}: {}",
          id,
          work.root(),
          e.toString());
      RecordingMetadata failed = result
          .status(RecordingStatus.FAILED)
          .error("finalizing failed, kept for recovery at the next start: " + e.getMessage())
          .build();
      indexQuietly(failed);
      return failed;
    }
    return storeOrRetry(target, video, 0);
  }

  /** Stores the recording; on failure shows it as {@code finalizing} and schedules a retry. */
  private RecordingMetadata storeOrRetry(RecordingMetadata target, boolean video, int attempt) {
    String id = target.recordingId();
    try {
      indexQuietly(store(target, video)); // what the storage holds
      pending.remove(id);
      if (attempt > 0) {
        log.info("recording {}: stored on retry {}", id, attempt);
      }
      log.info(
          "recording {} {}: {} frames, {} s, {} bytes",
          id,
          target.status().wireName(),
          target.frameCount(),
          target.durationSeconds(),
          target.fileSizeBytes());
      return target;
    } catch (RuntimeException e) {
      boolean full = noSpaceLeft(e);
      Duration delay = retryBackoff.delay(attempt + 1);
      log.warn(
          "recording {}: storing failed (attempt {}), kept in {}, retrying in {} ms: {}",
          id,
          attempt + 1,
          work.root(),
          delay.toMillis(),
          e.toString());
      RecordingMetadata pending = target.toBuilder()
          .status(RecordingStatus.FINALIZING)
          .error((full ? NO_SPACE_ERROR : STORE_FAILED_ERROR) + ": " + e.getMessage())
          .build();
      this.pending.put(id, pending);
      if (!retries.isShutdown()) {
        try {
          // the retry stores or re-schedules itself; nothing waits on its future
          java.util.concurrent.Future<?> unused = retries.schedule(
              () -> storeOrRetry(target, video, attempt + 1),
              delay.toMillis(),
              TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          // closing: the work directory keeps everything for the next start
        }
      }
      return pending;
    }
  }

  /**
   * What {@code error} starts with while storing waits for space: hosts answer {@code 507}.
   */
  public static final String NO_SPACE_ERROR =
      "storing failed (no space left on the device), retrying";

  /** What {@code error} starts with while storing is retried for another reason. */
  public static final String STORE_FAILED_ERROR = "storing failed, retrying";

  private static boolean noSpaceLeft(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && (m.contains("No space left on device")
              || m.contains("ENOSPC")
              || m.contains("Disk quota exceeded"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * Moves the video into storage (unless an earlier attempt already did), writes the metadata beside
   * it, then forgets the work files. Without a playable video, a non-empty raw partial file is
   * stored as the video, as-is, and the work files are kept so the next start retries recovery.
   */
  private RecordingMetadata store(RecordingMetadata m, boolean video) {
    String id = m.recordingId();
    if (video) {
      if (Files.isRegularFile(work.finalFile(id))) {
        storage.moveIn(m.filepath(), work.finalFile(id));
      }
      return publish(m, true);
    }
    Path partial = work.partialFile(id);
    if (isNonEmpty(partial)) {
      storage.put(m.filepath(), partial); // a copy: the partial stays for the next recovery attempt
      RecordingMetadata stored = uploads.asStored(m, true);
      storage.putBytes(m.metadataKey(), MetadataJson.toBytes(stored));
      log.warn(
          "recording {}: not recoverable now; raw partial stored as-is and kept in {} for the next start",
          id,
          work.root());
      return stored;
    }
    return publish(m, false);
  }

  /** The storage has the recording; an index failure must not fail it (a reindex restores it). */
  private void indexQuietly(RecordingMetadata m) {
    try {
      index.put(m);
    } catch (RuntimeException e) {
      log.warn("recording {}: stored, but not indexed: {}", m.recordingId(), e.toString());
    }
  }

  private static boolean isNonEmpty(Path p) {
    try {
      return Files.isRegularFile(p) && Files.size(p) > 0;
    } catch (java.io.IOException e) {
      return true; // unknown: keep it
    }
  }

  /** Recordings whose storing is retried in the background, as {@code finalizing}. */
  public Collection<RecordingMetadata> pending() {
    return List.copyOf(pending.values());
  }

  /** Stops retrying in the background; what is still pending stays in the work directory. */
  public void close() {
    retries.shutdownNow();
  }

  /**
   * Finishes the recordings a previous process left in the work directory. A partial file that
   * cannot be recovered is never thrown away: it is stored as-is (status {@code failed}) and kept,
   * so the next start tries again.
   */
  public void recoverLeftovers() {
    for (RecordingMetadata left : work.leftovers()) {
      String id = left.recordingId();
      try {
        RecordingMetadata target;
        boolean video = true;
        if (left.status() == RecordingStatus.COMPLETED) {
          target = left; // finished, but storing had failed: the video or its metadata is still due
        } else {
          EncodingSpec spec = new EncodingSpec(
              left.codec(), left.resolutionWidth(), left.resolutionHeight(), left.fps(), 1, 2.0);
          long frames = work.recoverInto(sink, id, spec);
          RecordingMetadata.Builder b = left.toBuilder()
              .endedAt(left.endedAt() != null ? left.endedAt() : work.lastModified(id));
          if (frames >= 0) {
            b.status(RecordingStatus.RECOVERED)
                .error("interrupted: recovered from the partial recording");
            target = withFacts(b, id, frames, left.fps());
          } else {
            b.status(RecordingStatus.FAILED).error("interrupted: nothing recoverable was written");
            target = quarantined(b, id, "interrupted");
            video = false;
          }
        }
        RecordingMetadata m = storeOrRetry(target, video, 0);
        log.warn(
            "recording {} was interrupted by a previous shutdown; now {} with {} frames",
            id,
            m.status().wireName(),
            m.frameCount());
      } catch (RuntimeException e) {
        log.warn(
            "recording {}: recovery failed, files kept in {}: {}", id, work.root(), e.toString());
      }
    }
  }

  /**
   * A recording without a playable video: if a non-empty partial file exists, the metadata
   * describes it (size, SHA-256) since it is what {@link #store} keeps and serves as-is.
   */
  private RecordingMetadata quarantined(RecordingMetadata.Builder b, String id, String what) {
    b.frameCount(0).durationSeconds(0).fileSizeBytes(0);
    Path partial = work.partialFile(id);
    if (isNonEmpty(partial)) {
      WorkDirectory.FileFacts facts = WorkDirectory.facts(partial);
      b.fileSizeBytes(facts.size())
          .sha256(facts.sha256())
          .error(
              what + ": not recoverable yet; the raw partial recording is kept as-is (downloadable)"
                  + " and recovery is retried at the next start");
    }
    return b.build();
  }

  /** Sets the file facts of the finalized file (size, SHA-256, and the store's URL) on {@code b}. */
  private RecordingMetadata withFacts(
      RecordingMetadata.Builder b, String id, long frames, double fps) {
    WorkDirectory.FileFacts facts = WorkDirectory.facts(work.finalFile(id));
    b.frameCount(frames)
        .durationSeconds(frames / fps)
        .fileSizeBytes(facts.size())
        .sha256(facts.sha256());
    RecordingMetadata m = b.build();
    Optional<String> url = storage.objectUrl(m.filepath());
    if (url.isPresent()) {
      m = b.cloudStorage(url.get(), storage.provider()).build();
    }
    return m;
  }

  /** Writes the final metadata beside the video, then forgets the work files; returns what was written. */
  private RecordingMetadata publish(RecordingMetadata m, boolean videoStored) {
    RecordingMetadata stored = uploads.asStored(m, videoStored);
    storage.putBytes(m.metadataKey(), MetadataJson.toBytes(stored));
    work.discard(m.recordingId());
    return stored;
  }
}
