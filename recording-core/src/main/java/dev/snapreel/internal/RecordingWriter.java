package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.InvalidFrameException;
import dev.snapreel.RecordingConflictException;
import dev.snapreel.RecordingStats;
import dev.snapreel.Snapshot;
import dev.snapreel.Ticker;
import dev.snapreel.metadata.StopReason;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording's writer: a dedicated thread that owns the encoder session (native encoders are not
 * thread-safe) and drains a bounded {@link SnapshotQueue} through a {@link FramePacer}. Callers only
 * enqueue. A failure here ends this recording alone.
 */
public final class RecordingWriter {
  private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);

  /** How long an idle writer waits before advancing the grid with the held frame. */
  private static final long IDLE_POLL_NANOS = SnapshotQueue.toNanos(100);

  /**
   * Slots are only emitted on idle up to this far behind "now", so a snapshot stamped just before an
   * idle tick but enqueued just after it still lands in its own slot.
   */
  private static final long ADVANCE_LAG_NANOS = SnapshotQueue.toNanos(250);
  /**
   * Default of how far ahead of the server's clock a client capture time may map: a little jitter is
   * normal, a timestamp in the future is not and would otherwise make the pacer fill the gap with
   * duplicates.
   */
  public static final Duration DEFAULT_MAX_CAPTURE_LEAD = Duration.ofSeconds(1);

  /** What the writer ended with; {@code failure} is null on success. */
  public record Outcome(
      long frames,
      long duplicated,
      long dropped,
      long rejected,
      long received,
      @Nullable Throwable failure,
      StopReason stopReason) {}

  private final String recordingId;
  private final FrameSink sink;
  private final EncodingSpec spec;
  private final Path partialFile;
  private final Path finalFile;
  private final Ticker ticker;
  private final SnapshotQueue queue;

  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<Outcome> done = new CompletableFuture<>();

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong queueDropped = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private final AtomicLong pacerDropped = new AtomicLong();
  private volatile @Nullable String lastError;
  private volatile long stopNanos;
  private volatile StopReason stopReason = StopReason.REQUESTED;
  private final long startedNanos;
  private volatile long lastSnapshotNanos;
  /** Longest recording (0: unlimited) and longest gap between snapshots (0: none) before it stops. */
  private final long maxDurationNanos;

  private final long idleStopNanos;
  private final long maxCaptureLeadNanos;

  // Client capture times are mapped onto the server clock relative to the first stamped snapshot.
  private final Object clockLock = new Object();
  private boolean anchored;
  private long anchorServer;
  private long anchorClient;
  private long lastTime = Long.MIN_VALUE;

  public RecordingWriter(
      String recordingId,
      FrameSink sink,
      EncodingSpec spec,
      Path partialFile,
      Path finalFile,
      int queueCapacity,
      Ticker ticker) {
    this(
        recordingId,
        sink,
        spec,
        partialFile,
        finalFile,
        queueCapacity,
        ticker,
        Duration.ZERO,
        Duration.ZERO,
        DEFAULT_MAX_CAPTURE_LEAD);
  }

  /**
   * @param maxDuration the recording stops by itself this long after it started ({@link
   *     StopReason#MAX_DURATION}); zero for no limit
   * @param idleStop it stops by itself when no snapshot came for this long ({@link
   *     StopReason#IDLE}); zero for never
   * @param maxCaptureLead how far ahead of the server clock a mapped capture time may lie
   */
  public RecordingWriter(
      String recordingId,
      FrameSink sink,
      EncodingSpec spec,
      Path partialFile,
      Path finalFile,
      int queueCapacity,
      Ticker ticker,
      Duration maxDuration,
      Duration idleStop,
      Duration maxCaptureLead) {
    this.recordingId = requireNonNull(recordingId, "recordingId");
    this.sink = requireNonNull(sink, "sink");
    this.spec = requireNonNull(spec, "spec");
    this.partialFile = requireNonNull(partialFile, "partialFile");
    this.finalFile = requireNonNull(finalFile, "finalFile");
    this.ticker = requireNonNull(ticker, "ticker");
    this.queue = new SnapshotQueue(queueCapacity);
    this.maxDurationNanos = maxDuration.toNanos();
    this.idleStopNanos = idleStop.toNanos();
    this.maxCaptureLeadNanos = maxCaptureLead.toNanos();
    this.startedNanos = ticker.nanos();
    this.lastSnapshotNanos = startedNanos;
  }

  private volatile @Nullable Runnable afterOpen;

  /**
   * Runs {@code task} on the writer thread once the encoder is open, before the first snapshot is
   * encoded (snapshots queue meanwhile), so slow storage work (publishing the in-progress metadata)
   * is ordered before the final write of the same recording and never holds up {@code start}.
   * Set before {@link #start()}.
   */
  public void afterOpen(Runnable task) {
    this.afterOpen = requireNonNull(task, "task");
  }

  /** Starts the thread; the returned future completes once the encoder is open (or failed to). */
  public CompletableFuture<Void> start() {
    Thread thread = new Thread(this::run, "snapreel-writer-" + recordingId);
    thread.setDaemon(false); // a JVM exit must not cut a file short while we finalize
    thread.start();
    return opened;
  }

  /** Completes when the recording is finalized (or failed). */
  public CompletableFuture<Outcome> done() {
    return done;
  }

  /**
   * Enqueues a snapshot stamped now (or at its mapped capture time). Never blocks on encoding.
   *
   * @throws RecordingConflictException if the recording is stopping or stopped
   */
  public void write(Snapshot snapshot) {
    long now = ticker.nanos();
    if (maxDurationNanos > 0 && now - startedNanos >= maxDurationNanos) {
      requestStop(startedNanos + maxDurationNanos, StopReason.MAX_DURATION);
      throw new RecordingConflictException(
          "recording " + recordingId + " reached its maximum duration");
    }
    lastSnapshotNanos = now;
    long time;
    synchronized (clockLock) {
      time = now;
      if (snapshot.captureNanos().isPresent()) {
        long capture = snapshot.captureNanos().getAsLong();
        if (!anchored) {
          anchored = true;
          anchorServer = now;
          anchorClient = capture;
        }
        // Saturating: a client may send any long, and an overflow would wrap into the past.
        long offset = saturatedSubtract(capture, anchorClient);
        time = saturatedAdd(anchorServer, offset);
        // Never ahead of the server clock by more than a small margin.
        time = Math.min(time, saturatedAdd(now, maxCaptureLeadNanos));
      }
      time = Math.max(time, lastTime);
      lastTime = time;
    }
    SnapshotQueue.Offer offer = queue.offer(new SnapshotQueue.Pending(snapshot, time));
    if (offer == SnapshotQueue.Offer.CLOSED) {
      throw new RecordingConflictException(
          "recording " + recordingId + " is not recording (stopped)");
    }
    received.incrementAndGet();
    if (offer == SnapshotQueue.Offer.ACCEPTED_DROPPED_OLDEST) {
      queueDropped.incrementAndGet();
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private static long saturatedSubtract(long a, long b) {
    long r = a - b;
    return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  /** Counts a snapshot refused before it reached the queue (e.g. too large). */
  public void countRejected(String reason) {
    rejected.incrementAndGet();
    lastError = reason;
  }

  /** Asks the writer to finish at {@code stopNanos}. Returns false if a stop was already requested. */
  public boolean requestStop(long stopNanos) {
    return requestStop(stopNanos, StopReason.REQUESTED);
  }

  /** Like {@link #requestStop(long)}, recording why; only the first request's reason counts. */
  public boolean requestStop(long stopNanos, StopReason reason) {
    synchronized (clockLock) {
      if (queue.isClosed()) {
        return false;
      }
      this.stopNanos = stopNanos;
      this.stopReason = reason;
      return queue.close();
    }
  }

  /** Stops the recording by itself once it is too long or has had no snapshot for too long. */
  private void checkLimits() {
    if (queue.isClosed()) {
      return;
    }
    long now = ticker.nanos();
    if (maxDurationNanos > 0 && now - startedNanos >= maxDurationNanos) {
      log.info("recording {} reached its maximum duration; stopping", recordingId);
      requestStop(startedNanos + maxDurationNanos, StopReason.MAX_DURATION);
    } else if (idleStopNanos > 0 && now - lastSnapshotNanos >= idleStopNanos) {
      log.info(
          "recording {} had no snapshot for {} s; stopping",
          recordingId,
          idleStopNanos / 1_000_000_000L);
      requestStop(now, StopReason.IDLE);
    }
  }

  /** True once a stop was requested (or the writer failed), even while queued snapshots drain. */
  public boolean stopping() {
    return queue.isClosed() || done.isDone();
  }

  public RecordingStats stats() {
    return new RecordingStats(
        received.get(),
        written.get(),
        duplicated.get(),
        queueDropped.get() + pacerDropped.get(),
        rejected.get(),
        queue.size(),
        lastError);
  }

  private void run() {
    EncodingSession session;
    try {
      session = sink.open(spec, partialFile);
    } catch (Throwable t) {
      opened.completeExceptionally(t);
      queue.close();
      done.complete(outcome(0, t));
      return;
    }
    opened.complete(null);
    Runnable hook = afterOpen;
    if (hook != null) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("recording {}: after-open task failed: {}", recordingId, e.toString());
      }
    }
    // One snapshot fills at most ten minutes of slots (the pacer's default): with capture times
    // clamped to the server clock and the idle advance every 100 ms, only a stalled encoder gets
    // near it.
    FramePacer<PreparedFrame> pacer = new FramePacer<>(spec.fps(), new PacerOutput(session));
    Throwable failure = null;
    long frames = 0;
    try {
      while (true) {
        checkLimits();
        SnapshotQueue.Pending next = queue.poll(IDLE_POLL_NANOS);
        if (next == null) {
          if (queue.isClosedAndEmpty()) {
            break;
          }
          long horizon = ticker.nanos() - ADVANCE_LAG_NANOS;
          if (maxDurationNanos > 0) {
            horizon = Math.min(horizon, startedNanos + maxDurationNanos); // never past the cut
          }
          pacer.advanceTo(horizon);
          continue;
        }
        PreparedFrame frame;
        try {
          frame = session.prepare(next.snapshot());
        } catch (InvalidFrameException e) {
          countRejected(e.getMessage() == null ? "undecodable snapshot" : e.getMessage());
          log.debug("recording {}: rejected snapshot: {}", recordingId, e.getMessage());
          continue;
        }
        try {
          pacer.offer(frame, next.timeNanos());
        } catch (Throwable t) {
          // Emitting earlier slots failed before the pacer took this frame: nobody else frees it.
          frame.close();
          throw t;
        }
      }
      frames = pacer.finish(stopNanos);
      session.finish(finalFile);
    } catch (Throwable t) {
      failure = t;
      pacer.abandon();
      lastError = String.valueOf(t.getMessage());
      log.warn("recording {} failed: {}", recordingId, t.toString(), t);
    } finally {
      queue.close();
      try {
        session.close();
      } catch (Throwable t) {
        log.warn("recording {}: closing the encoder failed: {}", recordingId, t.toString());
      }
    }
    done.complete(outcome(frames, failure));
  }

  private Outcome outcome(long frames, @Nullable Throwable failure) {
    return new Outcome(
        frames,
        duplicated.get(),
        queueDropped.get() + pacerDropped.get(),
        rejected.get(),
        received.get(),
        failure,
        stopReason);
  }

  /** Routes the pacer's decisions to the encoder and frees frames no slot will show again. */
  private final class PacerOutput implements FramePacer.Listener<PreparedFrame> {
    private final EncodingSession session;

    PacerOutput(EncodingSession session) {
      this.session = session;
    }

    @Override
    public void emit(PreparedFrame frame, long slot, boolean duplicate) {
      session.write(frame, duplicate);
      written.incrementAndGet();
      if (duplicate) {
        duplicated.incrementAndGet();
      }
    }

    @Override
    public void dropped(PreparedFrame frame) {
      pacerDropped.incrementAndGet();
      frame.close();
    }

    @Override
    public void retired(PreparedFrame frame) {
      frame.close();
    }
  }
}
