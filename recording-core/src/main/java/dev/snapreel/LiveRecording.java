package dev.snapreel;

import static java.util.Objects.requireNonNull;

import dev.snapreel.internal.ActiveRecordings;
import dev.snapreel.internal.RecordingWriter;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.metadata.StopReason;
import dev.snapreel.sink.EncodingSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The service's book-keeping of one active recording: its writer, metadata and caller handle. */
final class LiveRecording implements ActiveRecordings.Member {
  final ActiveRecording handle;
  final RecordingWriter writer;
  final EncodingSpec spec;
  private final Ticker ticker;
  private final AtomicReference<RecordingMetadata> metadata;
  /** Set once the encoder is open; completes when the recording is stored (or failed). */
  private volatile CompletableFuture<RecordingMetadata> finished = new CompletableFuture<>();

  LiveRecording(
      RecordingMetadata initial,
      RecordingOptions options,
      EncodingSpec spec,
      RecordingWriter writer,
      Ticker ticker,
      long maxSnapshotBytes,
      long maxSnapshotPixels) {
    this.spec = spec;
    this.writer = writer;
    this.ticker = ticker;
    this.metadata = new AtomicReference<>(initial);
    this.handle = new ActiveRecording(
        initial.recordingId(),
        initial.ownerId(),
        initial.sessionId(),
        options,
        writer,
        this::liveMetadata,
        this::stop,
        maxSnapshotBytes,
        maxSnapshotPixels);
  }

  /** The metadata as last set (without live counters). */
  RecordingMetadata current() {
    return requireNonNull(metadata.get());
  }

  /** Changes the metadata atomically; returns the new value. */
  RecordingMetadata update(UnaryOperator<RecordingMetadata> change) {
    return requireNonNull(metadata.updateAndGet(change));
  }

  /** Sets the metadata the recording ended with. */
  void ended(RecordingMetadata stored) {
    metadata.set(stored);
  }

  /** The encoder is open: once the writer is done, {@code finish} stores the recording. */
  void opened(Function<RecordingWriter.Outcome, RecordingMetadata> finish) {
    finished = writer.done().thenApply(finish);
  }

  @Override
  public String recordingId() {
    return handle.recordingId();
  }

  @Override
  public String ownerId() {
    return handle.ownerId();
  }

  @Override
  public String sessionId() {
    return handle.sessionId();
  }

  @Override
  public RecordingMetadata liveMetadata() {
    RecordingMetadata m = current();
    if (!m.status().active()) {
      return m;
    }
    RecordingStats s = writer.stats();
    return m.toBuilder()
        .counters(s.framesReceived(), s.framesDropped(), s.framesDuplicated(), s.framesRejected())
        .frameCount(s.framesWritten())
        .durationSeconds(s.framesWritten() / spec.fps())
        .error(s.lastError())
        .build();
  }

  /** Stops for {@code reason}, with {@code error} kept as the recording's {@code error}. */
  CompletableFuture<RecordingMetadata> stop(StopReason reason, String error) {
    update(m -> m.status().active() ? m.toBuilder().error(error).build() : m);
    return stop(reason);
  }

  CompletableFuture<RecordingMetadata> stop() {
    return stop(StopReason.REQUESTED);
  }

  CompletableFuture<RecordingMetadata> stop(StopReason reason) {
    if (writer.requestStop(ticker.nanos(), reason)) {
      update(m ->
          m.status().active() ? m.toBuilder().status(RecordingStatus.FINALIZING).build() : m);
    }
    return finished;
  }
}
