package dev.snapreel;

import static java.util.Objects.requireNonNull;

import dev.snapreel.internal.MetadataIndex;
import dev.snapreel.internal.RecordingWriter;
import dev.snapreel.internal.WorkDirectory;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StorageKeys;
import java.io.Closeable;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records camera sessions: start a recording for an owner's session, {@linkplain
 * ActiveRecording#write write} snapshots as they arrive, stop it, then list, read, delete and expire
 * the finished videos.
 *
 * <pre>{@code
 * RecordingService recordings = RecordingService.builder()
 *     .sink(FfmpegSinks.h264())
 *     .storage(LocalStorage.create(Path.of("recordings")))
 *     .build();
 * ActiveRecording rec = recordings.start("alice", "session-1", recordings.defaults());
 * rec.write(Snapshot.encoded(jpegBytes));
 * RecordingMetadata done = rec.stop();
 * }</pre>
 *
 * <p>Each recording has its own writer thread and bounded queue; a recording that fails ends alone.
 * In-progress files live in a work directory; after a crash, {@link Builder#build()} recovers them
 * (status {@code recovered}). Thread-safe.
 */
public final class RecordingService implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(RecordingService.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS").withZone(ZoneOffset.UTC);

  private final FrameSink sink;
  private final StorageBackend storage;
  private final WorkDirectory work;
  private final RecordingOptions defaults;
  private final int maxActiveRecordings;
  private final int queueCapacity;
  private final long maxSnapshotBytes;
  private final long maxSnapshotPixels;
  private final Duration startTimeout;
  private final Ticker ticker;
  private final Clock clock;
  private final MetadataIndex index;
  private final @Nullable ScheduledExecutorService retentionScheduler;

  private final Object admission = new Object();
  private final Map<String, Entry> activeBySession = new ConcurrentHashMap<>();
  private final Map<String, Entry> activeById = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Book-keeping of one active recording. */
  private final class Entry {
    final ActiveRecording handle;
    final RecordingWriter writer;
    final EncodingSpec spec;
    final AtomicReference<RecordingMetadata> metadata;
    /** Set once the encoder is open; completes when the recording is stored (or failed). */
    volatile CompletableFuture<RecordingMetadata> finished = new CompletableFuture<>();

    Entry(
        RecordingMetadata initial,
        RecordingOptions options,
        EncodingSpec spec,
        RecordingWriter writer) {
      this.spec = spec;
      this.writer = writer;
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

    void opened() {
      finished = writer.done().thenApply(outcome -> finalizeRecording(this, outcome));
    }

    RecordingMetadata liveMetadata() {
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
        metadata.updateAndGet(m -> m.status().active() ? m.toBuilder().status(RecordingStatus.FINALIZING).build() : m);
      }
      return finished;
    }
  }

  private RecordingService(Builder b, StorageBackend storage, WorkDirectory work) {
    this.sink = requireNonNull(b.sink, "sink");
    this.storage = storage;
    this.work = work;
    this.defaults = b.defaults;
    this.maxActiveRecordings = b.maxActiveRecordings;
    this.queueCapacity = b.queueCapacity;
    this.maxSnapshotBytes = b.maxSnapshotBytes;
    this.maxSnapshotPixels = b.maxSnapshotPixels;
    this.startTimeout = b.startTimeout;
    this.ticker = b.ticker;
    this.clock = b.clock;
    this.index = new MetadataIndex(storage);
    if (b.retention != null) {
      Duration retention = b.retention;
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "snapreel-retention");
                t.setDaemon(true);
                return t;
              });
      long periodMinutes = Math.max(1, Math.min(60, retention.toMinutes() / 4));
      scheduler.scheduleWithFixedDelay(
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
      this.retentionScheduler = scheduler;
    } else {
      this.retentionScheduler = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The options used when a caller gives none. */
  public RecordingOptions defaults() {
    return defaults;
  }

  public StorageBackend storage() {
    return storage;
  }

  public FrameSink sink() {
    return sink;
  }

  /** Starts recording {@code sessionId} of {@code ownerId} with the default options. */
  public ActiveRecording start(String ownerId, String sessionId) {
    return start(ownerId, sessionId, defaults);
  }

  /**
   * Starts recording. The encoder is opened before this returns, so an unavailable codec or an
   * unwritable work directory fails here.
   *
   * @throws InvalidOptionException for a malformed owner or session id
   * @throws RecordingConflictException if the session is already recording
   * @throws CapacityExceededException if the maximum of active recordings is reached
   * @throws EncoderException if the sink cannot encode the requested codec
   */
  public ActiveRecording start(String ownerId, String sessionId, RecordingOptions options) {
    requireId("owner_id", ownerId);
    requireId("session_id", sessionId);
    requireNonNull(options, "options");
    checkOpen();
    EncodingSpec spec = EncodingSpec.of(options);
    String codec = sink.validate(spec);
    String sessionKey = ownerId + "/" + sessionId;
    Entry entry;
    synchronized (admission) {
      if (activeBySession.containsKey(sessionKey)) {
        throw new RecordingConflictException("session " + sessionId + " is already recording");
      }
      if (activeById.size() >= maxActiveRecordings) {
        throw new CapacityExceededException(
            "at capacity: " + maxActiveRecordings + " recordings are active; retry later");
      }
      Instant now = clock.instant();
      String recordingId = UUID.randomUUID().toString();
      String filename = unusedFilename(ownerId, sessionId, now);
      String key = ownerId + "/" + sessionId + "/" + filename;
      RecordingMetadata initial =
          new RecordingMetadata(
              recordingId, sessionId, ownerId, filename, key, RecordingStatus.RECORDING, codec,
              options.fps(), options.resolution().width(), options.resolution().height(), 0, 0, 0,
              null, null, null, now, null, null, 0, 0, 0, 0, null);
      work.saveMetadata(initial);
      RecordingWriter writer =
          new RecordingWriter(
              recordingId, sink, spec, work.partialFile(recordingId), work.finalFile(recordingId),
              queueCapacity, ticker);
      entry = new Entry(initial, options, spec, writer);
      try {
        writer.start().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        work.discard(recordingId);
        Throwable cause = e.getCause();
        if (cause instanceof SnapreelException se) {
          throw se;
        }
        throw new EncoderException("cannot open the encoder: " + cause, cause);
      } catch (TimeoutException e) {
        abandon(writer, recordingId);
        throw new EncoderException("the encoder did not open within " + startTimeout, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abandon(writer, recordingId);
        throw new SnapreelException("interrupted while starting", e);
      }
      entry.opened();
      RecordingMetadata started =
          entry.metadata.updateAndGet(m -> m.toBuilder().startedAt(clock.instant()).build());
      activeBySession.put(sessionKey, entry);
      activeById.put(recordingId, entry);
      try {
        storage.putBytes(started.metadataKey(), MetadataJson.toBytes(started));
      } catch (StorageException e) {
        // Not fatal: the work directory has the metadata; the final write happens at stop.
        log.warn("recording {}: could not publish in-progress metadata: {}", recordingId, e.getMessage());
      }
    }
    log.info("recording {} started: owner {}, session {}, {} {} fps {}", entry.handle.recordingId(),
        ownerId, sessionId, codec, options.fps(), options.resolution());
    return entry.handle;
  }

  /**
   * {@code session_{session}_{time}.mp4}, with the time moved on by milliseconds if an earlier
   * recording of the session already has that name (restarted within the same millisecond, or a
   * clock that stands still): a new recording must never overwrite a stored one.
   */
  private String unusedFilename(String ownerId, String sessionId, Instant now) {
    Instant time = now;
    while (true) {
      String filename = "session_" + sessionId + "_" + FILE_TIME.format(time) + ".mp4";
      String key = ownerId + "/" + sessionId + "/" + filename;
      if (storage.stat(key).isEmpty() && storage.stat(RecordingMetadata.metadataKeyFor(key)).isEmpty()) {
        return filename;
      }
      time = time.plusMillis(1);
    }
  }

  private void abandon(RecordingWriter writer, String recordingId) {
    writer.requestStop(ticker.nanos());
    writer.done().whenComplete((outcome, error) -> work.discard(recordingId));
  }

  /** The active recording of a session, if any. */
  public Optional<ActiveRecording> active(String ownerId, String sessionId) {
    Entry e = activeBySession.get(ownerId + "/" + sessionId);
    return e == null ? Optional.empty() : Optional.of(e.handle);
  }

  /** All active recordings (recording or finalizing). */
  public List<ActiveRecording> active() {
    return activeById.values().stream().map(e -> e.handle).toList();
  }

  /**
   * Stops the session's active recording and waits until it is stored.
   *
   * @throws RecordingConflictException if the session is not recording
   */
  public RecordingMetadata stop(String ownerId, String sessionId) {
    return active(ownerId, sessionId)
        .orElseThrow(() -> new RecordingConflictException("session " + sessionId + " is not recording"))
        .stop();
  }

  /** A recording of {@code ownerId}, active or stored; empty if unknown, malformed, or not theirs. */
  public Optional<RecordingMetadata> get(String ownerId, String recordingId) {
    if (!StorageKeys.isSegment(ownerId) || !StorageKeys.isSegment(recordingId)) {
      return Optional.empty();
    }
    Entry active = activeById.get(recordingId);
    if (active != null) {
      RecordingMetadata m = active.liveMetadata();
      return m.ownerId().equals(ownerId) ? Optional.of(m) : Optional.empty();
    }
    Optional<RecordingMetadata> cached = index.cached(recordingId).filter(m -> m.ownerId().equals(ownerId));
    if (cached.isPresent()) {
      return cached;
    }
    return list(ownerId).stream().filter(m -> m.recordingId().equals(recordingId)).findFirst();
  }

  /** All recordings of an owner, newest first. */
  public List<RecordingMetadata> list(String ownerId) {
    if (!StorageKeys.isSegment(ownerId)) {
      return List.of();
    }
    return merged(ownerId + "/");
  }

  /** The recordings of one session of an owner, newest first. */
  public List<RecordingMetadata> list(String ownerId, String sessionId) {
    if (!StorageKeys.isSegment(ownerId) || !StorageKeys.isSegment(sessionId)) {
      return List.of();
    }
    return merged(ownerId + "/" + sessionId + "/");
  }

  private List<RecordingMetadata> merged(String prefix) {
    Map<String, RecordingMetadata> byId = new java.util.LinkedHashMap<>();
    for (RecordingMetadata m : index.list(prefix)) {
      byId.put(m.recordingId(), m);
    }
    for (Entry e : activeById.values()) {
      RecordingMetadata m = e.liveMetadata();
      if (m.filepath().startsWith(prefix)) {
        byId.put(m.recordingId(), m);
      }
    }
    List<RecordingMetadata> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(RecordingMetadata::createdAt).reversed());
    return out;
  }

  /**
   * Opens a byte range of a finished recording's video.
   *
   * @throws RecordingNotFoundException if unknown, not the owner's, or without a video (a recording
   *     that failed before its first frame, or whose file was removed from the storage)
   * @throws RecordingConflictException if it is still recording
   */
  public InputStream openVideo(String ownerId, String recordingId, ByteRange range) {
    RecordingMetadata m = requireStored(ownerId, recordingId);
    try {
      return storage.open(m.filepath(), range);
    } catch (StorageException e) {
      // Only on failure: a stat on every download would cost S3 a second request.
      if (storage.stat(m.filepath()).isEmpty()) {
        throw new RecordingNotFoundException(
            "recording " + recordingId + " has no video (status " + m.status().wireName() + ")", e);
      }
      throw e;
    }
  }

  /** A direct download URL for a finished recording, where the storage offers one. */
  public Optional<URI> presignedUrl(String ownerId, String recordingId, Duration ttl) {
    RecordingMetadata m = requireStored(ownerId, recordingId);
    return storage.presignedGet(m.filepath(), ttl);
  }

  /**
   * Deletes a finished recording: video and metadata.
   *
   * @throws RecordingNotFoundException if unknown or not the owner's
   * @throws RecordingConflictException if it is still recording
   */
  public RecordingMetadata delete(String ownerId, String recordingId) {
    RecordingMetadata m = requireStored(ownerId, recordingId);
    deleteStored(m);
    return m;
  }

  /** Deletes every finished recording created more than {@code age} ago. Returns how many. */
  public int cleanupOlderThan(Duration age) {
    requireNonNull(age, "age");
    Instant cutoff = clock.instant().minus(age);
    int deleted = 0;
    for (RecordingMetadata m : index.list("")) {
      if (activeById.containsKey(m.recordingId()) || !m.createdAt().isBefore(cutoff)) {
        continue;
      }
      try {
        deleteStored(m);
        deleted++;
      } catch (StorageException e) {
        log.warn("retention: could not delete {}: {}", m.recordingId(), e.getMessage());
      }
    }
    return deleted;
  }

  private RecordingMetadata requireStored(String ownerId, String recordingId) {
    RecordingMetadata m =
        get(ownerId, recordingId)
            .orElseThrow(() -> new RecordingNotFoundException("no recording " + recordingId));
    if (activeById.containsKey(recordingId) || m.status().active()) {
      throw new RecordingConflictException("recording " + recordingId + " is still recording");
    }
    return m;
  }

  private void deleteStored(RecordingMetadata m) {
    storage.delete(m.filepath());
    storage.delete(m.metadataKey());
    index.remove(m);
  }

  /** Runs on the writer thread once it has finished: stores the video and the final metadata. */
  private RecordingMetadata finalizeRecording(Entry entry, RecordingWriter.Outcome outcome) {
    RecordingMetadata base = entry.metadata.get();
    String id = base.recordingId();
    RecordingMetadata.Builder result =
        base.toBuilder()
            .endedAt(clock.instant())
            .counters(outcome.received(), outcome.dropped(), outcome.duplicated(), outcome.rejected());
    RecordingMetadata finalMetadata;
    try {
      if (outcome.failure() == null) {
        WorkDirectory.FileFacts facts = WorkDirectory.facts(work.finalFile(id));
        result
            .status(RecordingStatus.COMPLETED)
            .frameCount(outcome.frames())
            .durationSeconds(outcome.frames() / entry.spec.fps())
            .fileSizeBytes(facts.size())
            .sha256(facts.sha256());
        finalMetadata = withCloudUrl(result).build();
        // Metadata goes to the work directory first: if storing the video fails, a restart retries.
        work.saveMetadata(finalMetadata);
        storage.moveIn(finalMetadata.filepath(), work.finalFile(id));
      } else {
        finalMetadata = salvage(entry, result, outcome.failure());
      }
      storage.putBytes(finalMetadata.metadataKey(), MetadataJson.toBytes(finalMetadata));
      work.discard(id);
    } catch (RuntimeException e) {
      // Storage failed (full disk, unreachable store): keep everything in the work directory.
      log.warn("recording {}: could not store the finished video, kept in {}: {}", id, work.root(), e.toString());
      finalMetadata =
          result.status(RecordingStatus.FAILED).error("storing failed, kept for retry: " + e.getMessage()).build();
    }
    entry.metadata.set(finalMetadata);
    index.put(finalMetadata);
    activeById.remove(id);
    activeBySession.remove(base.ownerId() + "/" + base.sessionId(), entry);
    log.info("recording {} {}: {} frames, {} s, {} bytes", id, finalMetadata.status().wireName(),
        finalMetadata.frameCount(), finalMetadata.durationSeconds(), finalMetadata.fileSizeBytes());
    return finalMetadata;
  }

  /** After an encoder failure: keep what the partial file holds, playable if the sink can recover it. */
  private RecordingMetadata salvage(Entry entry, RecordingMetadata.Builder result, Throwable failure) {
    String id = entry.metadata.get().recordingId();
    result.status(RecordingStatus.FAILED).error("encoding failed: " + failure.getMessage());
    long frames = work.recoverInto(sink, id, entry.spec);
    if (frames >= 0) {
      WorkDirectory.FileFacts facts = WorkDirectory.facts(work.finalFile(id));
      result.frameCount(frames).durationSeconds(frames / entry.spec.fps())
          .fileSizeBytes(facts.size()).sha256(facts.sha256());
      RecordingMetadata m = withCloudUrl(result).build();
      storage.moveIn(m.filepath(), work.finalFile(id));
      return m;
    }
    return result.frameCount(0).durationSeconds(0).fileSizeBytes(0).build();
  }

  private RecordingMetadata.Builder withCloudUrl(RecordingMetadata.Builder b) {
    RecordingMetadata m = b.build();
    Optional<String> url = storage.objectUrl(m.filepath());
    return url.isPresent() ? b.cloudStorage(url.get(), storage.provider()) : b;
  }

  /** Finishes recordings a previous process left in the work directory. */
  private void recoverInterrupted() {
    for (RecordingMetadata left : work.leftovers()) {
      String id = left.recordingId();
      try {
        RecordingMetadata.Builder b = left.toBuilder();
        EncodingSpec spec =
            new EncodingSpec(left.codec(), left.resolutionWidth(), left.resolutionHeight(), left.fps(), 1, 2.0);
        if (left.status() == RecordingStatus.COMPLETED && work.finalFile(id).toFile().isFile()) {
          storage.moveIn(left.filepath(), work.finalFile(id)); // finished, but storing had failed
        } else {
          long frames = work.recoverInto(sink, id, spec);
          if (frames >= 0) {
            WorkDirectory.FileFacts facts = WorkDirectory.facts(work.finalFile(id));
            b.status(RecordingStatus.RECOVERED).frameCount(frames).durationSeconds(frames / left.fps())
                .fileSizeBytes(facts.size()).sha256(facts.sha256())
                .endedAt(left.endedAt() != null ? left.endedAt() : work.lastModified(id))
                .error("interrupted: recovered from the partial recording");
            b = withCloudUrl(b);
            storage.moveIn(left.filepath(), work.finalFile(id));
          } else {
            b.status(RecordingStatus.FAILED).error("interrupted: nothing recoverable was written");
          }
        }
        RecordingMetadata m = b.build();
        storage.putBytes(m.metadataKey(), MetadataJson.toBytes(m));
        index.put(m);
        work.discard(id);
        log.warn("recording {} was interrupted by a previous shutdown; now {} with {} frames", id,
            m.status().wireName(), m.frameCount());
      } catch (RuntimeException e) {
        log.warn("recording {}: recovery failed, files kept in {}: {}", id, work.root(), e.toString());
      }
    }
  }

  private static void requireId(String field, String value) {
    requireNonNull(value, field);
    if (!StorageKeys.isSegment(value)) {
      throw new InvalidOptionException(
          field, "'" + value + "' is not a valid id (1-128 of A-Z a-z 0-9 . _ @ -, not starting with '.')");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("recording service is closed");
    }
  }

  /** Stops and stores every active recording, then releases the work directory and the storage. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (retentionScheduler != null) {
      retentionScheduler.shutdownNow();
    }
    List<CompletableFuture<RecordingMetadata>> pending = new ArrayList<>();
    for (Entry e : activeById.values()) {
      pending.add(e.stop());
    }
    for (CompletableFuture<RecordingMetadata> f : pending) {
      try {
        f.get(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        log.warn("a recording did not finish cleanly on close: {}", e.toString());
      }
    }
    work.close();
    storage.close();
  }

  /** Configures a {@link RecordingService}. {@link #sink} and {@link #storage} are required. */
  public static final class Builder {
    private @Nullable FrameSink sink;
    private @Nullable StorageBackend storage;
    private @Nullable Path workDirectory;
    private RecordingOptions defaults = RecordingOptions.defaults();
    private int maxActiveRecordings = 64;
    private int queueCapacity = 16;
    private long maxSnapshotBytes = 8L * 1024 * 1024;
    private long maxSnapshotPixels = 4096L * 4096L;
    private Duration startTimeout = Duration.ofSeconds(30);
    private @Nullable Duration retention;
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The encoder, e.g. {@code FfmpegSinks.h264()}. */
    public Builder sink(FrameSink sink) {
      this.sink = requireNonNull(sink, "sink");
      return this;
    }

    /** Where finished videos and metadata go, e.g. {@link LocalStorage#create(Path)}. */
    public Builder storage(StorageBackend storage) {
      this.storage = requireNonNull(storage, "storage");
      return this;
    }

    /**
     * Local directory for in-progress files; must survive a restart for crash recovery and belong
     * to one service at a time. Default: {@code .inprogress} under a {@link LocalStorage} root;
     * required for other storage.
     */
    public Builder workDirectory(Path workDirectory) {
      this.workDirectory = requireNonNull(workDirectory, "workDirectory");
      return this;
    }

    /** Options for {@link RecordingService#start(String, String)}; default {@link RecordingOptions#defaults()}. */
    public Builder defaults(RecordingOptions defaults) {
      this.defaults = requireNonNull(defaults, "defaults");
      return this;
    }

    /** Applies a {@link RecordingConfig}: defaults and retention. Storage stays explicit. */
    public Builder config(RecordingConfig config) {
      requireNonNull(config, "config");
      this.defaults = config.defaults();
      this.retention = config.retention();
      return this;
    }

    public Builder maxActiveRecordings(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxActiveRecordings must be >= 1, was " + max);
      }
      this.maxActiveRecordings = max;
      return this;
    }

    /** Snapshots waiting per recording before the oldest is dropped; default 16. */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be >= 1, was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** Largest accepted snapshot in bytes; default 8 MiB. */
    public Builder maxSnapshotBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxSnapshotBytes must be >= 1, was " + bytes);
      }
      this.maxSnapshotBytes = bytes;
      return this;
    }

    /** Largest accepted snapshot in pixels (bounds decode memory); default 4096x4096. */
    public Builder maxSnapshotPixels(long pixels) {
      if (pixels < 1) {
        throw new IllegalArgumentException("maxSnapshotPixels must be >= 1, was " + pixels);
      }
      this.maxSnapshotPixels = pixels;
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive");
      }
      this.startTimeout = timeout;
      return this;
    }

    /** Deletes finished recordings older than {@code retention} periodically; off by default. */
    public Builder retention(Duration retention) {
      requireNonNull(retention, "retention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention must be positive");
      }
      this.retention = retention;
      return this;
    }

    /** Monotonic clock for snapshot times; for tests. */
    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /** Wall clock for metadata times and retention; for tests. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the service, locks its work directory and recovers recordings a previous process left
     * unfinished.
     */
    public RecordingService build() {
      FrameSink s = sink;
      StorageBackend st = storage;
      if (s == null) {
        throw new IllegalStateException("sink is required, e.g. .sink(FfmpegSinks.h264())");
      }
      if (st == null) {
        throw new IllegalStateException("storage is required, e.g. .storage(LocalStorage.create(path))");
      }
      Path dir = workDirectory;
      if (dir == null) {
        if (st instanceof LocalStorage local) {
          dir = local.root().resolve(".inprogress");
        } else {
          throw new IllegalStateException("workDirectory is required with " + st.provider() + " storage");
        }
      }
      WorkDirectory work = WorkDirectory.open(dir);
      RecordingService service = new RecordingService(this, st, work);
      service.recoverInterrupted();
      return service;
    }
  }
}
