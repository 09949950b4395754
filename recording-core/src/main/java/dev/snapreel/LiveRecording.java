package dev.snapreel;

import dev.snapreel.internal.ActiveRecordings;
import dev.snapreel.internal.RecordingWriter;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.sink.EncodingSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** The service's book-keeping of one active recording: its writer, metadata and caller handle. */
final class LiveRecording implements ActiveRecordings.Member {
  final ActiveRecording handle;
  final RecordingWriter writer;
  final EncodingSpec spec;
  private final Ticker ticker;
  final AtomicReference<RecordingMetadata> metadata;
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
    this.handle =
        new ActiveRecording(
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
    RecordingMetadata m = metadata.get();
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

  CompletableFuture<RecordingMetadata> stop() {
    if (writer.requestStop(ticker.nanos())) {
      metadata.updateAndGet(
          m -> m.status().active() ? m.toBuilder().status(RecordingStatus.FINALIZING).build() : m);
    }
    return finished;
  }
}
