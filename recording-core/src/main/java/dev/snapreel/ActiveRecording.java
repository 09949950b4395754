package dev.snapreel;

import static java.util.Objects.requireNonNull;

import dev.snapreel.internal.RecordingWriter;
import dev.snapreel.metadata.RecordingMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A recording in progress. Thread-safe: any thread may {@link #write} snapshots; they are encoded
 * in order by the recording's own writer thread. {@link #write} never waits for encoding.
 *
 * @since 0.1.0
 */
public final class ActiveRecording {
  private final RecordingWriter writer;
  private final RecordingOptions options;
  private final Supplier<RecordingMetadata> metadata;
  private final Supplier<CompletableFuture<RecordingMetadata>> stopper;
  private final long maxSnapshotBytes;
  private final long maxSnapshotPixels;
  private final String recordingId;
  private final String ownerId;
  private final String sessionId;

  ActiveRecording(
      String recordingId,
      String ownerId,
      String sessionId,
      RecordingOptions options,
      RecordingWriter writer,
      Supplier<RecordingMetadata> metadata,
      Supplier<CompletableFuture<RecordingMetadata>> stopper,
      long maxSnapshotBytes,
      long maxSnapshotPixels) {
    this.recordingId = requireNonNull(recordingId);
    this.ownerId = requireNonNull(ownerId);
    this.sessionId = requireNonNull(sessionId);
    this.options = requireNonNull(options);
    this.writer = requireNonNull(writer);
    this.metadata = requireNonNull(metadata);
    this.stopper = requireNonNull(stopper);
    this.maxSnapshotBytes = maxSnapshotBytes;
    this.maxSnapshotPixels = maxSnapshotPixels;
  }

  public String recordingId() {
    return recordingId;
  }

  public String ownerId() {
    return ownerId;
  }

  public String sessionId() {
    return sessionId;
  }

  public RecordingOptions options() {
    return options;
  }

  /**
   * Queues a snapshot for this recording. Oversized snapshots are refused here; undecodable ones are
   * counted in {@link RecordingStats#framesRejected()} when the writer reaches them. Either way the
   * recording goes on.
   *
   * @throws InvalidFrameException if the snapshot exceeds the configured byte or pixel limit
   * @throws RecordingConflictException if the recording was stopped
   */
  public void write(Snapshot snapshot) {
    requireNonNull(snapshot, "snapshot");
    if (snapshot.data().length > maxSnapshotBytes) {
      String reason = "snapshot of " + snapshot.data().length + " bytes exceeds the limit of "
          + maxSnapshotBytes;
      writer.countRejected(reason);
      throw new InvalidFrameException(reason);
    }
    if (snapshot.largestFramePixels() > maxSnapshotPixels) {
      // Every frame header counts: a small first header must not smuggle in a huge second one.
      String reason = "snapshot of " + snapshot.largestFrameSize() + " exceeds the limit of "
          + maxSnapshotPixels + " pixels";
      writer.countRejected(reason);
      throw new InvalidFrameException(reason);
    }
    writer.write(snapshot);
  }

  /** Convenience for {@code write(Snapshot.encoded(bytes))}; counts malformed input as rejected. */
  public void writeEncoded(byte[] imageBytes) {
    Snapshot snapshot;
    try {
      snapshot = Snapshot.encoded(imageBytes);
    } catch (InvalidFrameException e) {
      writer.countRejected(String.valueOf(e.getMessage()));
      throw e;
    }
    write(snapshot);
  }

  public RecordingStats stats() {
    return writer.stats();
  }

  /** Current metadata, with live counters while recording. */
  public RecordingMetadata metadata() {
    return metadata.get();
  }

  /** True until a stop was requested. */
  public boolean isActive() {
    return !writer.stopping();
  }

  /** Stops at the current time and returns once the video is finalized and stored. */
  public RecordingMetadata stop() {
    try {
      return stopAsync().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Stops at the current time; completes once the video is finalized and stored. Idempotent. */
  public CompletableFuture<RecordingMetadata> stopAsync() {
    return stopper.get();
  }

  @Override
  public String toString() {
    return "ActiveRecording[" + recordingId + ", owner " + ownerId + ", session " + sessionId + "]";
  }
}
