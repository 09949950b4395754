package dev.snapreel;

import static java.util.Objects.requireNonNull;

import dev.snapreel.index.IndexException;
import dev.snapreel.index.OwnerUsage;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.RecordingQuery;
import dev.snapreel.internal.ActiveRecordings;
import dev.snapreel.internal.Catalog;
import dev.snapreel.internal.CatchUpIndex;
import dev.snapreel.internal.DaemonThreads;
import dev.snapreel.internal.Finalizer;
import dev.snapreel.internal.MetadataIndex;
import dev.snapreel.internal.MetadataUploads;
import dev.snapreel.internal.RecordingKeys;
import dev.snapreel.internal.RecordingWriter;
import dev.snapreel.internal.RetentionSweeper;
import dev.snapreel.internal.ServiceSettings;
import dev.snapreel.internal.WorkDirectory;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.metadata.StopReason;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>A façade: admission ({@code ActiveRecordings}), naming ({@code RecordingKeys}), storing
 * ({@code Finalizer}), queries ({@code Catalog}) and retention ({@code RetentionSweeper}) are
 * internal parts with one job each.
 *
 * @since 0.1.0
 */
public final class RecordingService implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(RecordingService.class);

  private final ServiceSettings settings;
  private final FrameSink sink;
  private final StorageBackend storage;
  private final WorkDirectory work;
  private final ActiveRecordings<LiveRecording> active;
  private final RecordingKeys keys;
  private final Finalizer finalizer;
  private final Catalog catalog;
  private final RetentionSweeper retention;
  private final RecordingIndex index;
  private final boolean externalIndex;
  private final @Nullable ScheduledExecutorService quotaWatch;
  private volatile boolean closed;

  private RecordingService(ServiceSettings settings, WorkDirectory work) {
    this.settings = settings;
    this.sink = settings.sink();
    this.storage = settings.storage();
    this.work = work;
    RecordingIndex configured = settings.index();
    this.externalIndex = configured != null;
    // An index of its own (a database) may go down: its writes are kept and replayed meanwhile.
    this.index = configured == null
        ? RecordingIndex.storageDerived(storage)
        : new CatchUpIndex(configured, Duration.ofSeconds(1));
    this.active =
        new ActiveRecordings<>(settings.maxActiveRecordings(), settings.maxUserActiveRecordings());
    this.keys = new RecordingKeys(storage);
    this.finalizer = new Finalizer(
        sink, storage, work, index, MetadataUploads.attachTo(storage, index), settings.clock());
    this.catalog = new Catalog(storage, index, active, finalizer::pending);
    this.retention = new RetentionSweeper(catalog, index, active, settings.clock());
    if (settings.maxOwnerBytes() < Long.MAX_VALUE) {
      ScheduledExecutorService watch = DaemonThreads.scheduler("snapreel-quota");
      ScheduledFuture<?> unused =
          watch.scheduleWithFixedDelay(this::enforceQuota, 500, 500, TimeUnit.MILLISECONDS);
      this.quotaWatch = watch;
    } else {
      this.quotaWatch = null;
    }
    Duration age = settings.retention();
    if (age != null) {
      retention.schedule(age);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The options used when a caller gives none. */
  public RecordingOptions defaults() {
    return settings.defaults();
  }

  /** Starts recording {@code sessionId} of {@code ownerId} with the default options. */
  public ActiveRecording start(String ownerId, String sessionId) {
    return start(ownerId, sessionId, settings.defaults());
  }

  /**
   * Starts recording. The encoder is opened before this returns, so an unavailable codec or an
   * unwritable work directory fails here.
   *
   * @throws InvalidOptionException for a malformed owner or session id
   * @throws RecordingConflictException if the session is already recording
   * @throws UserLimitExceededException if the owner already has {@code maxUserActiveRecordings}
   * @throws CapacityExceededException if the maximum of active recordings is reached
   * @throws UnsupportedCodecException if the sink cannot encode the requested codec
   * @throws EncoderException if the encoder cannot be opened
   */
  public ActiveRecording start(String ownerId, String sessionId, RecordingOptions options) {
    RecordingKeys.requireId("owner_id", ownerId);
    RecordingKeys.requireId("session_id", sessionId);
    requireNonNull(options, "options");
    checkOpen();
    EncodingSpec spec = EncodingSpec.of(options);
    String codec = sink.validate(spec);
    checkQuota(ownerId);
    // No storage call here and no lock across the encoder opening: see ActiveRecordings.admit.
    LiveRecording entry =
        active.admit(ownerId, sessionId, () -> open(ownerId, sessionId, options, spec, codec));
    try {
      index.put(entry.current()); // a database, not the store; down, it is caught up later
    } catch (RuntimeException e) {
      log.warn("recording {}: not indexed yet: {}", entry.recordingId(), e.toString());
    }
    log.info(
        "recording {} started: owner {}, session {}, {} {} fps {}",
        entry.recordingId(),
        ownerId,
        sessionId,
        codec,
        options.fps(),
        options.resolution());
    return entry.handle;
  }

  /** Stored bytes of {@code ownerId} (from the index) plus what its active recordings wrote so far. */
  private long bytesUsed(String ownerId) {
    long used = catalog.usage(ownerId).totalBytes();
    for (LiveRecording e : active.all()) {
      if (e.ownerId().equals(ownerId)) {
        try {
          used += Files.size(work.partialFile(e.recordingId()));
        } catch (IOException ignored) {
          // not written yet
        }
      }
    }
    return used;
  }

  private void checkQuota(String ownerId) {
    long max = settings.maxOwnerBytes();
    if (max == Long.MAX_VALUE) {
      return;
    }
    long used;
    try {
      used = bytesUsed(ownerId);
    } catch (IndexException e) {
      log.warn("quota of {} not checked, the index is unavailable: {}", ownerId, e.getMessage());
      return; // recording goes on while the index is down
    }
    if (used >= max) {
      throw new QuotaExceededException("storage quota reached: " + used + " of " + max
          + " bytes used; delete recordings to record again");
    }
  }

  /** Stops the recordings of owners whose stored plus recording bytes reached the quota. */
  private void enforceQuota() {
    long max = settings.maxOwnerBytes();
    try {
      Set<String> owners = new HashSet<>();
      for (LiveRecording e : active.all()) {
        owners.add(e.ownerId());
      }
      for (String owner : owners) {
        if (bytesUsed(owner) < max) {
          continue;
        }
        for (LiveRecording e : active.all()) {
          if (e.ownerId().equals(owner)) {
            log.info(
                "recording {}: stopped at the storage quota of {} ({} bytes)",
                e.recordingId(),
                owner,
                max);
            CompletableFuture<RecordingMetadata> stopping =
                e.stop(StopReason.QUOTA, QUOTA_REASON + max + " bytes reached");
            stopping.exceptionally(t -> null); // its outcome is the recording's own metadata
          }
        }
      }
    } catch (RuntimeException e) {
      log.debug("quota check skipped: {}", e.toString());
    }
  }

  /** The {@code error} of a recording stopped by the quota begins so. */
  public static final String QUOTA_REASON = "stopped: storage quota of ";

  /** Opens the encoder of a new recording; runs with its slot reserved, outside the admission lock. */
  private LiveRecording open(
      String ownerId, String sessionId, RecordingOptions options, EncodingSpec spec, String codec) {
    Clock clock = settings.clock();
    Instant now = clock.instant();
    String recordingId = UUID.randomUUID().toString();
    String filename = keys.unusedFilename(ownerId, sessionId, now);
    RecordingMetadata initial = RecordingMetadata.builder()
        .identity(
            recordingId,
            ownerId,
            sessionId,
            filename,
            RecordingKeys.videoKey(ownerId, sessionId, filename))
        .status(RecordingStatus.RECORDING)
        .format(
            codec,
            options.fps(),
            options.resolution().width(),
            options.resolution().height())
        .createdAt(now)
        .build();
    work.saveMetadata(initial);
    RecordingWriter writer = new RecordingWriter(
        recordingId,
        sink,
        spec,
        work.partialFile(recordingId),
        work.finalFile(recordingId),
        settings.queueCapacity(),
        settings.ticker(),
        settings.maxRecordingDuration(),
        settings.idleStop(),
        settings.maxCaptureLead());
    LiveRecording entry = new LiveRecording(
        initial,
        options,
        spec,
        writer,
        settings.ticker(),
        settings.maxSnapshotBytes(),
        settings.maxSnapshotPixels());
    // Published from the writer thread, before its first frame and so before the final metadata:
    // other hosts sharing the store see it recording, and a slow store never delays this start.
    writer.afterOpen(() -> {
      RecordingMetadata started = entry.current();
      try {
        storage.putBytes(started.metadataKey(), MetadataJson.toBytes(started));
      } catch (StorageException e) {
        // Not fatal: the work directory has the metadata; the final write happens at stop.
        log.warn(
            "recording {}: could not publish in-progress metadata: {}",
            started.recordingId(),
            e.getMessage());
      }
    });
    Duration startTimeout = settings.startTimeout();
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
    entry.opened(outcome -> finished(entry, outcome));
    entry.update(m -> m.toBuilder().startedAt(clock.instant()).build());
    return entry;
  }

  /** Runs on the writer thread once it has finished. */
  private RecordingMetadata finished(LiveRecording entry, RecordingWriter.Outcome outcome) {
    RecordingMetadata stored = finalizer.finish(entry.current(), entry.spec, outcome);
    entry.ended(stored);
    active.remove(entry);
    return stored;
  }

  private void abandon(RecordingWriter writer, String recordingId) {
    writer.requestStop(settings.ticker().nanos());
    CompletableFuture<?> unused =
        writer.done().whenComplete((outcome, error) -> work.discard(recordingId));
  }

  /** The active recording of a session, if any. */
  public Optional<ActiveRecording> active(String ownerId, String sessionId) {
    return active.bySession(ownerId, sessionId).map(e -> e.handle);
  }

  /** All active recordings (recording or finalizing). */
  public List<ActiveRecording> active() {
    return active.all().stream().map(e -> e.handle).toList();
  }

  /**
   * Stops the session's active recording and waits until it is stored.
   *
   * @throws RecordingConflictException if the session is not recording
   */
  public RecordingMetadata stop(String ownerId, String sessionId) {
    return active(ownerId, sessionId)
        .orElseThrow(
            () -> new RecordingConflictException("session " + sessionId + " is not recording"))
        .stop();
  }

  /** A recording of {@code ownerId}, active or stored; empty if unknown, malformed, or not theirs. */
  public Optional<RecordingMetadata> get(String ownerId, String recordingId) {
    return catalog.get(ownerId, recordingId);
  }

  /** All recordings of an owner, newest first. */
  public List<RecordingMetadata> list(String ownerId) {
    return catalog.list(ownerId);
  }

  /** The recordings of one session of an owner, newest first. */
  public List<RecordingMetadata> list(String ownerId, String sessionId) {
    return catalog.list(ownerId, sessionId);
  }

  /**
   * A page of an owner's recordings, newest first, from the index; {@link RecordingPage#nextCursor()}
   * continues it.
   *
   * @throws dev.snapreel.index.InvalidCursorException if the cursor was altered or is another listing's
   * @throws dev.snapreel.index.IndexUnavailableException if the index cannot be reached
   */
  public RecordingPage list(String ownerId, PageRequest page) {
    requireNonNull(page, "page");
    return catalog.page(ownerId, page);
  }

  /** A page of the recordings of one session of an owner, newest first. */
  public RecordingPage list(String ownerId, String sessionId, PageRequest page) {
    requireNonNull(page, "page");
    return catalog.page(ownerId, sessionId, page);
  }

  /** How many recordings {@code ownerId} keeps and their total bytes, from the index. */
  public OwnerUsage usage(String ownerId) {
    return catalog.usage(ownerId);
  }

  /**
   * Rebuilds the index from the storage, the source of truth: lists every stored recording's
   * metadata, puts it into the index, and removes the index's entries whose metadata is no longer
   * stored (except recordings created after the listing began, or active here). Runs at {@link
   * Builder#build()} for an index set with {@link Builder#index}. Returns how many recordings the
   * storage holds.
   */
  public int reindex() {
    Instant listedAt = settings.clock().instant();
    List<RecordingMetadata> stored = new MetadataIndex(storage).list("");
    Set<String> ids = new HashSet<>();
    List<RecordingMetadata> toPut = new ArrayList<>(stored.size());
    for (RecordingMetadata m : stored) {
      ids.add(m.recordingId());
      if (!active.isActive(m.recordingId())) {
        toPut.add(m); // an active one is indexed by its own finalization
      }
    }
    index.putAll(toPut);
    int removed = 0;
    String cursor = null;
    do {
      RecordingPage page =
          index.find(RecordingQuery.all(), PageRequest.after(PageRequest.MAX_LIMIT, cursor));
      for (RecordingMetadata m : page.recordings()) {
        if (!ids.contains(m.recordingId())
            && !active.isActive(m.recordingId())
            && m.createdAt().isBefore(listedAt)) {
          index.remove(m.ownerId(), m.recordingId());
          removed++;
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    log.info(
        "reindex: {} stored recordings indexed, {} stale entries removed", stored.size(), removed);
    return stored.size();
  }

  /**
   * Opens a byte range of a finished recording's video.
   *
   * @throws RecordingNotFoundException if unknown, not the owner's, or without a video (a recording
   *     that failed before its first frame, or whose file was removed from the storage)
   * @throws RecordingConflictException if it is still recording
   */
  public InputStream openVideo(String ownerId, String recordingId, ByteRange range) {
    return catalog.openVideo(ownerId, recordingId, range);
  }

  /** A direct download URL for a finished recording, where the storage offers one. */
  public Optional<URI> presignedUrl(String ownerId, String recordingId, Duration ttl) {
    return catalog.presignedUrl(ownerId, recordingId, ttl);
  }

  /**
   * Deletes a finished recording: video and metadata.
   *
   * @throws RecordingNotFoundException if unknown or not the owner's
   * @throws RecordingConflictException if it is still recording
   */
  public RecordingMetadata delete(String ownerId, String recordingId) {
    return catalog.delete(ownerId, recordingId);
  }

  /** Deletes every finished recording created more than {@code age} ago. Returns how many. */
  public int cleanupOlderThan(Duration age) {
    return retention.cleanupOlderThan(age);
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
    retention.close();
    if (quotaWatch != null) {
      quotaWatch.shutdownNow();
    }
    List<CompletableFuture<RecordingMetadata>> pending = new ArrayList<>();
    for (LiveRecording e : active.all()) {
      pending.add(e.stop(StopReason.SHUTDOWN));
    }
    for (CompletableFuture<RecordingMetadata> f : pending) {
      try {
        f.get(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        log.warn("a recording did not finish cleanly on close: {}", e.toString());
      }
    }
    finalizer.close();
    work.close();
    try {
      index.close();
    } finally {
      storage.close();
    }
  }

  /** Shortest {@link Builder#retention} accepted without {@link Builder#allowShortRetention}. */
  public static final Duration MIN_RETENTION = Duration.ofHours(1);

  /** Default of {@link Builder#maxUserActiveRecordings}. */
  public static final int DEFAULT_MAX_USER_ACTIVE_RECORDINGS = 2;

  /** Default of {@link Builder#maxRecordingDuration}. */
  public static final Duration DEFAULT_MAX_RECORDING_DURATION = Duration.ofHours(4);

  /** Default of {@link Builder#idleStop}. */
  public static final Duration DEFAULT_IDLE_STOP = Duration.ofMinutes(2);

  /** Configures a {@link RecordingService}. {@link #sink} and {@link #storage} are required. */
  public static final class Builder {
    private @Nullable FrameSink sink;
    private @Nullable StorageBackend storage;
    private @Nullable Path workDirectory;
    private RecordingOptions defaults = RecordingOptions.defaults();
    private int maxActiveRecordings = 64;
    private int maxUserActiveRecordings = DEFAULT_MAX_USER_ACTIVE_RECORDINGS;
    private Duration maxRecordingDuration = DEFAULT_MAX_RECORDING_DURATION;
    private Duration idleStop = DEFAULT_IDLE_STOP;
    private Duration maxCaptureLead = RecordingWriter.DEFAULT_MAX_CAPTURE_LEAD;
    private int queueCapacity = 16;
    private long maxSnapshotBytes = 8L * 1024 * 1024;
    private long maxSnapshotPixels = 4096L * 4096L;
    private Duration startTimeout = Duration.ofSeconds(30);
    private @Nullable Duration retention;
    private boolean allowShortRetention;
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private @Nullable RecordingIndex index;
    private boolean reconcileOnStart = true;
    private long maxOwnerBytes = Long.MAX_VALUE;

    private Builder() {}

    /**
     * Where recordings are looked up, listed and paged, e.g. {@code
     * JdbcRecordingIndex.embedded(path)}. Default: {@link RecordingIndex#storageDerived}, which lists
     * the storage and needs no database. The service closes it. While it is unreachable, recording
     * goes on, its writes are kept and replayed, and queries throw {@link
     * dev.snapreel.index.IndexUnavailableException}.
     */
    public Builder index(RecordingIndex index) {
      this.index = requireNonNull(index, "index");
      return this;
    }

    /**
     * Storage quota per owner in bytes: {@link RecordingService#start} throws {@link
     * QuotaExceededException} once an owner's stored recordings (from the index) reach it, and a
     * recording that reaches it while recording is stopped within about a second, with the reason
     * in its {@code error}. Off by default.
     */
    public Builder maxOwnerBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxOwnerBytes must be >= 1, was " + bytes);
      }
      this.maxOwnerBytes = bytes;
      return this;
    }

    /** Whether {@link #build} reconciles the {@link #index} with the storage ({@link RecordingService#reindex()}); default true. */
    public Builder reconcileOnStart(boolean reconcile) {
      this.reconcileOnStart = reconcile;
      return this;
    }

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

    /**
     * Active recordings one owner may hold; the next {@code start} throws {@link
     * UserLimitExceededException} while other owners go on. Default {@value
     * #DEFAULT_MAX_USER_ACTIVE_RECORDINGS}.
     */
    public Builder maxUserActiveRecordings(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxUserActiveRecordings must be >= 1, was " + max);
      }
      this.maxUserActiveRecordings = max;
      return this;
    }

    /**
     * Longest recording: it stops by itself this long after it started, with {@code stop_reason:
     * max_duration}. Default 4 hours; {@link Duration#ZERO} for no limit.
     */
    public Builder maxRecordingDuration(Duration max) {
      requireNonNull(max, "max");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxRecordingDuration must not be negative");
      }
      this.maxRecordingDuration = max;
      return this;
    }

    /**
     * A recording that gets no snapshot for this long stops by itself, with {@code stop_reason:
     * idle}. Default 120 s; {@link Duration#ZERO} never stops an idle recording.
     */
    public Builder idleStop(Duration idle) {
      requireNonNull(idle, "idle");
      if (idle.isNegative()) {
        throw new IllegalArgumentException("idleStop must not be negative");
      }
      this.idleStop = idle;
      return this;
    }

    /**
     * How far ahead of the server's clock a snapshot's {@linkplain Snapshot#capturedAt capture
     * time} may map; later ones are clamped to it, so a client clock running ahead cannot make the
     * recording emit slots it has not lived through. Default 1 s. Replaying recorded capture times
     * faster than real time (tests, imports) needs a lead as long as the replay.
     */
    public Builder maxCaptureLead(Duration lead) {
      requireNonNull(lead, "lead");
      if (lead.isNegative()) {
        throw new IllegalArgumentException("maxCaptureLead must not be negative");
      }
      this.maxCaptureLead = lead;
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

    /**
     * Deletes finished recordings older than {@code retention} periodically; off by default. Under
     * {@link #MIN_RETENTION} it is refused at {@link #build()} unless {@link #allowShortRetention}
     * says it is meant (a fraction of a day typed by mistake would otherwise wipe everything).
     * Recordings not safely stored (active, finalizing, upload pending) and failed ones that kept a
     * file are never deleted by retention.
     */
    public Builder retention(Duration retention) {
      requireNonNull(retention, "retention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention must be positive");
      }
      this.retention = retention;
      return this;
    }

    /** Allows a {@link #retention} under {@link #MIN_RETENTION}, e.g. for demos and tests. */
    public Builder allowShortRetention(boolean allow) {
      this.allowShortRetention = allow;
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
     *
     * @throws NullPointerException if {@link #sink} or {@link #storage} was not set
     * @throws IllegalArgumentException if the work directory is needed and was not set
     */
    public RecordingService build() {
      FrameSink s = requireNonNull(sink, "sink is required, e.g. .sink(FfmpegSinks.h264())");
      StorageBackend st =
          requireNonNull(storage, "storage is required, e.g. .storage(LocalStorage.create(path))");
      Duration keep = retention;
      if (keep != null && keep.compareTo(MIN_RETENTION) < 0 && !allowShortRetention) {
        throw new IllegalArgumentException("retention of " + keep
            + " is under one hour and would delete recordings almost as soon as"
            + " they are made; use allowShortRetention(true) if that is really meant");
      }
      Path dir = workDirectory;
      if (dir == null) {
        if (st instanceof LocalStorage local) {
          dir = local.root().resolve(".inprogress");
        } else {
          throw new IllegalArgumentException(
              "workDirectory is required with " + st.provider() + " storage");
        }
      }
      ServiceSettings settings = new ServiceSettings(
          s,
          st,
          dir,
          defaults,
          maxActiveRecordings,
          maxUserActiveRecordings,
          maxRecordingDuration,
          idleStop,
          maxCaptureLead,
          queueCapacity,
          maxSnapshotBytes,
          maxSnapshotPixels,
          startTimeout,
          retention,
          ticker,
          clock,
          index,
          reconcileOnStart,
          maxOwnerBytes);
      RecordingService service = new RecordingService(settings, WorkDirectory.open(dir));
      service.finalizer.recoverLeftovers();
      if (service.externalIndex && reconcileOnStart) {
        try {
          service.reindex();
        } catch (IndexException e) {
          log.warn(
              "index not reconciled with the storage at start ({}); call reindex() later",
              e.getMessage());
        }
      }
      return service;
    }
  }
}
