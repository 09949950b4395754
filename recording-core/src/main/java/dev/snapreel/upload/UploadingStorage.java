package dev.snapreel.upload;

import static java.util.Objects.requireNonNull;

import dev.snapreel.StorageException;
import dev.snapreel.internal.Sha256;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StorageKeys;
import dev.snapreel.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StorageBackend} that writes to a local {@link LocalStorage} first (atomic, crash-safe) and
 * uploads to a remote backend in the background.
 *
 * <p>Objects are grouped per recording by their manifest key (video {@code x.mp4} and manifest
 * {@code x.json}); one group is uploaded at a time. This class moves bytes and reports outcomes to
 * an {@link UploadListener}; it never reads or edits the manifests' content. The recording service
 * attaches its own listener, which keeps a finished recording's metadata at {@code upload_pending}
 * until its upload is confirmed and then gives it its own status and cloud URL back.
 *
 * <ul>
 *   <li>A group's files go first; its manifest is published to the remote only once the files are
 *       confirmed there (remote size and SHA-256 equal the local file's).
 *   <li>Failed uploads retry forever with {@link Backoff exponential backoff and jitter}; each
 *       failure is logged at WARN with its cause and reported to the listener.
 *   <li>The local copy is deleted only after the upload is confirmed, and only with {@link
 *       Builder#removeLocalAfterUpload(boolean)}.
 *   <li>On {@link #attach}, local recordings that were never confirmed are queued again, so uploads
 *       resume after a restart.
 *   <li>Reads prefer the local copy, then the remote. {@link #list} is the remote listing (the source
 *       of truth shared by all hosts) plus local objects still waiting for upload; if the remote
 *       cannot be listed, the local objects alone (logged at WARN). {@link #delete} deletes on both
 *       sides.
 * </ul>
 *
 * <p>Groups the listener holds back ({@link UploadListener#readyToUpload}: recordings in progress)
 * are not published to the remote. {@link #objectUrl} is empty on purpose: the service must not
 * claim a cloud URL before the upload is confirmed.
 *
 * @since 0.1.0
 */
public final class UploadingStorage implements StorageBackend {
  private static final Logger log = LoggerFactory.getLogger(UploadingStorage.class);
  private static final int LOCK_STRIPES = 64;

  private final LocalStorage local;
  private final StorageBackend remote;
  private final Backoff backoff;
  private final boolean removeLocalAfterUpload;
  private final ScheduledExecutorService executor;
  private final Object[] locks = new Object[LOCK_STRIPES];
  /** Groups queued, running or waiting for a retry; guarded by itself. */
  private final Map<String, Job> jobs = new HashMap<>();

  private volatile UploadListener listener = UploadListener.none();
  private volatile boolean attached;
  private volatile boolean closed;

  /** Scheduling state of one group. */
  private static final class Job {
    boolean running;
    boolean rerun;
    int failures;
  }

  private UploadingStorage(Builder b, LocalStorage local, StorageBackend remote) {
    this.local = local;
    this.remote = remote;
    this.backoff = b.backoff;
    this.removeLocalAfterUpload = b.removeLocalAfterUpload;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(b.uploadThreads, r -> {
      Thread t = new Thread(r, "snapreel-upload-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sets who decides what the manifests say and queues again the uploads a previous process left
   * pending. {@code RecordingService.Builder#build()} attaches the service's own listener; without a
   * service, attach {@link UploadListener#none()}. At most once, before anything is stored.
   *
   * @throws IllegalStateException if a listener is already attached
   */
  public synchronized void attach(UploadListener listener) {
    requireNonNull(listener, "listener");
    if (attached) {
      throw new IllegalStateException("an upload listener is already attached");
    }
    this.listener = listener;
    this.attached = true;
    resumePending();
  }

  /** The provider of the remote store, e.g. {@code s3}: where recordings end up. */
  @Override
  public String provider() {
    return remote.provider();
  }

  @Override
  public void put(String key, Path source) {
    local.put(key, source);
    enqueue(groupOf(key));
  }

  @Override
  public void moveIn(String key, Path source) {
    local.moveIn(key, source);
    enqueue(groupOf(key));
  }

  /** Stores locally, then queues the upload of the group. */
  @Override
  public void putBytes(String key, byte[] content) {
    String group = groupOf(key);
    synchronized (lockFor(group)) {
      local.putBytes(key, content);
    }
    enqueue(group);
  }

  @Override
  public Optional<byte[]> getBytes(String key) {
    Optional<byte[]> mine = local.getBytes(key);
    return mine.isPresent() ? mine : remote.getBytes(key);
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    Optional<StoredObject> mine = local.stat(key);
    return mine.isPresent() ? mine : remote.stat(key);
  }

  @Override
  public InputStream open(String key, ByteRange range) {
    if (local.stat(key).isPresent()) {
      try {
        return local.open(key, range);
      } catch (StorageException e) {
        if (local.stat(key).isPresent()) {
          throw e;
        }
        // removed after its upload was confirmed, between stat and open: read the remote copy
      }
    }
    return remote.open(key, range);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    Map<String, StoredObject> out = new LinkedHashMap<>();
    boolean remoteListed = true;
    try {
      for (StoredObject o : remote.list(prefix)) {
        out.put(o.key(), o);
      }
    } catch (RuntimeException e) {
      remoteListed = false;
      log.warn(
          "cannot list the remote store {} ({}); listing local recordings only",
          remote,
          e.toString());
    }
    Set<String> pending = pendingUploads();
    for (StoredObject o : local.list(prefix)) {
      // A kept local copy of a confirmed upload is not listed on its own: if another host deleted
      // the remote copy, the recording is gone.
      if (!remoteListed || removeLocalAfterUpload || pending.contains(groupOf(o.key()))) {
        out.put(o.key(), o);
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * Deletes on the remote first, then locally: a remote failure leaves everything in place. If an
   * upload of the object was under way, waits for it to finish: it may have recreated the remote
   * copy, which it removes once it sees the local copy gone, so the object is gone on return.
   */
  @Override
  public boolean delete(String key) {
    String group = groupOf(key);
    boolean existed;
    synchronized (lockFor(group)) {
      boolean remoteExisted = remote.delete(key);
      boolean localExisted = local.delete(key);
      existed = remoteExisted || localExisted;
    }
    awaitNotRunning(group);
    // An upload of the group that was already under way may have stored the object remotely after
    // the delete above: once it has ended, nothing of a deleted object may be left there.
    synchronized (lockFor(group)) {
      if (local.stat(key).isEmpty()) {
        remote.delete(key);
      }
    }
    return existed;
  }

  private void awaitNotRunning(String group) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    synchronized (jobs) {
      Job job;
      while ((job = jobs.get(group)) != null && job.running) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("deleting from {}: its upload is still running after 5 min", group);
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(jobs, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** A presigned URL of the remote copy once it exists; empty while the recording is only local. */
  @Override
  public Optional<URI> presignedGet(String key, Duration ttl) {
    if (pendingUploads().contains(groupOf(key)) || remote.stat(key).isEmpty()) {
      return Optional.empty();
    }
    return remote.presignedGet(key, ttl);
  }

  /** Empty: the cloud URL is recorded in the metadata only once the upload is confirmed. */
  @Override
  public Optional<String> objectUrl(String key) {
    return Optional.empty();
  }

  /** Recording groups (metadata keys) queued, uploading or waiting for a retry. */
  public Set<String> pendingUploads() {
    synchronized (jobs) {
      return Set.copyOf(jobs.keySet());
    }
  }

  /**
   * Waits until no upload is queued, running or waiting for a retry.
   *
   * @return false if uploads were still pending at the timeout
   */
  public boolean awaitUploads(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (jobs) {
      while (!jobs.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(jobs, left);
      }
      return true;
    }
  }

  /** Stops uploading (pending uploads resume at the next start) and closes both backends. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("uploads still running after 30 s at close; they resume at the next start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      remote.close();
    } finally {
      local.close();
    }
  }

  @Override
  public String toString() {
    return "UploadingStorage[" + local + " -> " + remote + "]";
  }

  // ---- scheduling

  private void enqueue(String group) {
    synchronized (jobs) {
      Job job = jobs.get(group);
      if (job == null) {
        jobs.put(group, new Job());
        schedule(group, Duration.ZERO);
      } else if (job.running) {
        job.rerun = true; // new content arrived while uploading: go again afterwards
      }
      // otherwise already queued or waiting for a retry, which reads the current local state
    }
  }

  private void schedule(String group, Duration delay) {
    if (closed) {
      return;
    }
    try {
      ScheduledFuture<?> unused =
          executor.schedule(() -> run(group), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: the upload resumes at the next start
    }
  }

  private void run(String group) {
    Job job;
    synchronized (jobs) {
      job = jobs.get(group);
      if (job == null) {
        return;
      }
      job.running = true;
      job.rerun = false;
    }
    try {
      sync(group);
      synchronized (jobs) {
        job.running = false;
        jobs.notifyAll(); // delete() may wait for the run to end
        job.failures = 0;
        if (job.rerun) {
          schedule(group, Duration.ZERO);
        } else {
          jobs.remove(group);
          jobs.notifyAll();
        }
      }
    } catch (RuntimeException | Error e) {
      int failures;
      synchronized (jobs) {
        job.running = false;
        failures = ++job.failures;
        jobs.notifyAll();
      }
      if (closed) {
        return;
      }
      Duration delay = backoff.delay(failures);
      log.warn(
          "upload of {} to {} failed (attempt {}), kept locally, retrying in {} ms: {}",
          group,
          remote.provider(),
          failures,
          delay.toMillis(),
          describe(e));
      recordFailure(group, failures, e);
      schedule(group, delay);
    }
  }

  // ---- the upload of one recording group

  private void sync(String group) {
    byte[] json = local.getBytes(group).orElse(null);
    UploadListener listener = this.listener;
    if (json != null && !listener.readyToUpload(group, json)) {
      return; // e.g. still recording; the final manifest queues this again
    }
    List<StoredObject> videos = localVideos(group);
    if (json == null && videos.isEmpty()) {
      return; // deleted, or already uploaded and removed by an earlier run
    }
    Map<String, StoredObject> uploaded = new LinkedHashMap<>();
    for (StoredObject video : videos) {
      uploadConfirmed(video);
      uploaded.put(video.key(), video);
    }
    synchronized (lockFor(group)) {
      for (StoredObject before : uploaded.values()) {
        Optional<StoredObject> now = local.stat(before.key());
        if (now.isEmpty()) {
          remote.delete(before.key()); // deleted while it was uploading: don't leave it behind
        } else if (now.get().size() != before.size()
            || !now.get().lastModified().equals(before.lastModified())) {
          throw new StorageException(before.key() + " changed while uploading; uploading it again");
        }
      }
      byte[] current = local.getBytes(group).orElse(null);
      if (current != null) {
        if (!listener.readyToUpload(group, current)) {
          return;
        }
        Optional<byte[]> replaced = listener.filesUploaded(group, current, remoteView);
        byte[] published = replaced.orElse(current);
        remote.putBytes(group, published);
        if (removeLocalAfterUpload) {
          local.delete(group);
        } else if (replaced.isPresent()) {
          local.putBytes(group, published);
        }
      }
      // Without its metadata the video is not a finished recording yet: keep it until the metadata
      // arrives (which queues this group again).
      if (removeLocalAfterUpload && current != null) {
        for (String key : uploaded.keySet()) {
          local.delete(key);
        }
      }
    }
    log.info(
        "uploaded {} to {}{}",
        group,
        remote.provider(),
        removeLocalAfterUpload ? "; local copy removed" : "");
  }

  /** Uploads one local file unless the remote already holds it, then confirms size and SHA-256. */
  private void uploadConfirmed(StoredObject video) {
    String key = video.key();
    Path file = local.resolve(key);
    String sha256 = sha256(file);
    if (remoteMatches(key, video.size(), sha256)) {
      return;
    }
    remote.put(key, file);
    if (!remoteMatches(key, video.size(), sha256)) {
      throw new StorageException(
          "upload of " + key + " not confirmed: remote size or SHA-256 differs");
    }
  }

  private boolean remoteMatches(String key, long size, String sha256) {
    Optional<StoredObject> stat = remote.stat(key);
    if (stat.isEmpty() || stat.get().size() != size) {
      return false;
    }
    Optional<String> remoteSha =
        remote instanceof RemoteChecksums checksums ? checksums.sha256(key) : Optional.empty();
    if (remoteSha.isEmpty()) {
      try (InputStream in = remote.open(key, ByteRange.all(size))) {
        remoteSha = Optional.of(sha256(in));
      } catch (IOException e) {
        throw new StorageException("cannot read back " + key + ": " + e, e);
      }
    }
    return remoteSha.get().equalsIgnoreCase(sha256);
  }

  private void recordFailure(String group, int attempts, Throwable e) {
    try {
      synchronized (lockFor(group)) {
        byte[] json = local.getBytes(group).orElse(null);
        if (json != null) {
          Optional<byte[]> replaced = listener.uploadFailed(group, json, attempts, describe(e));
          if (replaced.isPresent()) {
            local.putBytes(group, replaced.get());
          }
        }
      }
    } catch (RuntimeException ex) {
      log.warn("could not record the upload failure of {}: {}", group, ex.toString());
    }
  }

  /** The remote as the listener sees it. */
  private final UploadListener.Remote remoteView = new UploadListener.Remote() {
    @Override
    public String provider() {
      return remote.provider();
    }

    @Override
    public boolean contains(String key) {
      return remote.stat(key).isPresent();
    }

    @Override
    public Optional<String> objectUrl(String key) {
      return remote.objectUrl(key);
    }
  };

  // ---- grouping, hashing

  /** The metadata key a stored object belongs with: {@code a/b/x.mp4} and {@code a/b/x.json} pair. */
  static String groupOf(String key) {
    return StorageKeys.manifestKeyFor(key);
  }

  private List<StoredObject> localVideos(String group) {
    int slash = group.lastIndexOf('/');
    String dir = slash < 0 ? "" : group.substring(0, slash + 1);
    List<StoredObject> out = new ArrayList<>();
    for (StoredObject o : local.list(dir)) {
      if (!o.key().equals(group) && groupOf(o.key()).equals(group)) {
        out.add(o);
      }
    }
    return out;
  }

  private Object lockFor(String group) {
    return locks[(group.hashCode() & 0x7fffffff) % LOCK_STRIPES];
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e + " (cause: " + root + ")";
  }

  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e, e);
    }
  }

  private static String sha256(InputStream in) throws IOException {
    return Sha256.of(in).hex();
  }

  /** Queues every local recording whose upload was not confirmed (after a restart). */
  private void resumePending() {
    Set<String> groups = new LinkedHashSet<>();
    for (StoredObject o : local.list("")) {
      String group = groupOf(o.key());
      if (removeLocalAfterUpload || !confirmed(group)) {
        groups.add(group);
      }
    }
    for (String group : groups) {
      enqueue(group);
    }
    if (!groups.isEmpty()) {
      log.info("resuming {} pending uploads to {}", groups.size(), remote.provider());
    }
  }

  /** With local copies kept: true if the listener says the group's manifest records its upload. */
  private boolean confirmed(String group) {
    byte[] json = local.getBytes(group).orElse(null);
    return json != null && listener.alreadyUploaded(group, json, remote.provider());
  }

  /** Configures an {@link UploadingStorage}; {@link #local} and {@link #remote} are required. */
  public static final class Builder {
    private @Nullable LocalStorage local;
    private @Nullable StorageBackend remote;
    private Backoff backoff = Backoff.defaults();
    private boolean removeLocalAfterUpload;
    private int uploadThreads = 2;

    private Builder() {}

    /** Where recordings are written first and kept until uploaded. */
    public Builder local(LocalStorage local) {
      this.local = requireNonNull(local, "local");
      return this;
    }

    /** Where recordings are uploaded to, e.g. an S3 bucket; shared by every host. */
    public Builder remote(StorageBackend remote) {
      this.remote = requireNonNull(remote, "remote");
      return this;
    }

    /** Waits between failed attempts; default {@link Backoff#defaults()}. */
    public Builder backoff(Backoff backoff) {
      this.backoff = requireNonNull(backoff, "backoff");
      return this;
    }

    /** Delete the local copy once the remote copy is confirmed; default false (keep it as a cache). */
    public Builder removeLocalAfterUpload(boolean remove) {
      this.removeLocalAfterUpload = remove;
      return this;
    }

    /** Recordings uploaded in parallel; default 2. */
    public Builder uploadThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("uploadThreads must be >= 1, was " + threads);
      }
      this.uploadThreads = threads;
      return this;
    }

    /**
     * Builds the storage. The uploads a previous process left pending are queued again on {@link
     * UploadingStorage#attach}.
     *
     * @throws NullPointerException if {@link #local} or {@link #remote} was not set
     */
    public UploadingStorage build() {
      LocalStorage l = requireNonNull(local, "local storage is required: .local(LocalStorage)");
      StorageBackend r = requireNonNull(remote, "remote storage is required: .remote(backend)");
      return new UploadingStorage(this, l, r);
    }
  }
}
