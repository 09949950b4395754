package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.storage.StorageBackend;
import java.time.Clock;
import java.util.Optional;
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
  private final MetadataIndex index;
  private final MetadataUploads uploads;
  private final Clock clock;

  public Finalizer(
      FrameSink sink,
      StorageBackend storage,
      WorkDirectory work,
      MetadataIndex index,
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
   * storing fails (full disk, unreachable store) everything stays in the work directory and the
   * result is {@code failed}.
   */
  public RecordingMetadata finish(
      RecordingMetadata base, EncodingSpec spec, RecordingWriter.Outcome outcome) {
    String id = base.recordingId();
    RecordingMetadata.Builder result =
        base.toBuilder()
            .endedAt(clock.instant())
            .counters(outcome.received(), outcome.dropped(), outcome.duplicated(), outcome.rejected());
    RecordingMetadata finalMetadata;
    try {
      Throwable failure = outcome.failure();
      if (failure == null) {
        result.status(RecordingStatus.COMPLETED);
        // Metadata goes to the work directory first: if storing the video fails, a restart retries.
        finalMetadata = storeVideo(result, id, outcome.frames(), spec.fps(), true);
        publish(finalMetadata, true);
      } else {
        // Keep what the partial file holds, playable if the sink can recover it.
        result.status(RecordingStatus.FAILED).error("encoding failed: " + failure.getMessage());
        long frames = work.recoverInto(sink, id, spec);
        if (frames >= 0) {
          finalMetadata = storeVideo(result, id, frames, spec.fps(), false);
          publish(finalMetadata, true);
        } else {
          finalMetadata = result.frameCount(0).durationSeconds(0).fileSizeBytes(0).build();
          publish(finalMetadata, false);
        }
      }
    } catch (RuntimeException e) {
      log.warn("recording {}: could not store the finished video, kept in {}: {}", id, work.root(),
          e.toString());
      finalMetadata =
          result
              .status(RecordingStatus.FAILED)
              .error("storing failed, kept for retry: " + e.getMessage())
              .build();
    }
    index.put(finalMetadata);
    log.info("recording {} {}: {} frames, {} s, {} bytes", id, finalMetadata.status().wireName(),
        finalMetadata.frameCount(), finalMetadata.durationSeconds(), finalMetadata.fileSizeBytes());
    return finalMetadata;
  }

  /** Finishes the recordings a previous process left in the work directory. */
  public void recoverLeftovers() {
    for (RecordingMetadata left : work.leftovers()) {
      String id = left.recordingId();
      try {
        RecordingMetadata m;
        boolean videoStored = true;
        if (left.status() == RecordingStatus.COMPLETED && work.finalFile(id).toFile().isFile()) {
          storage.moveIn(left.filepath(), work.finalFile(id)); // finished, but storing had failed
          m = left;
        } else {
          EncodingSpec spec =
              new EncodingSpec(
                  left.codec(), left.resolutionWidth(), left.resolutionHeight(), left.fps(), 1, 2.0);
          long frames = work.recoverInto(sink, id, spec);
          RecordingMetadata.Builder b = left.toBuilder();
          if (frames >= 0) {
            b.status(RecordingStatus.RECOVERED)
                .endedAt(left.endedAt() != null ? left.endedAt() : work.lastModified(id))
                .error("interrupted: recovered from the partial recording");
            m = storeVideo(b, id, frames, left.fps(), false);
          } else {
            m = b.status(RecordingStatus.FAILED)
                .error("interrupted: nothing recoverable was written")
                .build();
            videoStored = false;
          }
        }
        publish(m, videoStored);
        index.put(m);
        log.warn("recording {} was interrupted by a previous shutdown; now {} with {} frames", id,
            m.status().wireName(), m.frameCount());
      } catch (RuntimeException e) {
        log.warn("recording {}: recovery failed, files kept in {}: {}", id, work.root(), e.toString());
      }
    }
  }

  /**
   * Sets the file facts of the finalized file on {@code b} and moves it into storage; with {@code
   * saveFirst}, the metadata is saved to the work directory before the move.
   */
  private RecordingMetadata storeVideo(
      RecordingMetadata.Builder b, String id, long frames, double fps, boolean saveFirst) {
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
    if (saveFirst) {
      work.saveMetadata(m);
    }
    storage.moveIn(m.filepath(), work.finalFile(id));
    return m;
  }

  /** Writes the final metadata beside the video, then forgets the work files. */
  private void publish(RecordingMetadata m, boolean videoStored) {
    storage.putBytes(m.metadataKey(), MetadataJson.toBytes(uploads.asStored(m, videoStored)));
    work.discard(m.recordingId());
  }
}
