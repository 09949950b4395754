package dev.snapreel.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.Resolution;
import dev.snapreel.benchmarks.corpus.SnapshotTimeline;
import dev.snapreel.benchmarks.corpus.WebcamCorpus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Real-time load through the example host: the host ({@code ExampleServer}: Javalin, JWT, Haar face
 * detection on every frame, FFmpeg H.264 recording to local storage) runs in a child JVM; for each
 * N, N focus sessions are created and their recordings started over REST, N JDK WebSockets send the
 * webcam corpus as binary JPEG messages on the same jittered, stalling 5 FPS timelines as {@link
 * LoadHarness}, every reply is paired with its frame for the reply latency, and the sessions are
 * then ended (which stops the recordings) and the recordings' stored metadata read back over REST.
 * Prints Markdown tables and writes them to {@code <out>/websocket.md}; the host's output goes to
 * {@code <out>/websocket-host.log}.
 *
 * <p>Host CPU is the child's utime + stime from {@code /proc}; its memory is RSS and (through
 * {@code jcmd}) heap after a full GC, before the level and with all N sessions open after the last
 * reply. The load generator's own CPU is reported apart: on one machine it competes with the host.
 * A level <em>keeps up</em> by the rules of {@link KeepUp} (queues, drops, failures, stop time,
 * every frame answered without backlog, recording lengths); the {@value #REPLY_P99_TARGET_MS} ms
 * reply p99 target is reported beside it, not part of it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.snapreel.benchmarks.load.LoadHarness --websocket
 * [--sessions 1,2,4,6,8,10,12] [--duration 20] [--warmup 8] [--resolution 1280x720] [--codec h264]
 * [--quality 95] [--scene webcam|noisy] [--host-heap 1g] [--out <dir of benchmarks.jar>/load] [--all]}
 */
public final class WebSocketLoad {
  static final double REPLY_P99_TARGET_MS = 50;
  private static final double FPS = 30;
  private static final Duration REPLY_WAIT = Duration.ofSeconds(30);
  private static final Duration HOST_START = Duration.ofMinutes(2);

  private final List<Integer> levels;
  private final Duration duration;
  private final Duration warmup;
  private final Resolution resolution;
  private final String codec;
  private final int quality;
  private final String hostHeap;
  private final Path out;
  private final boolean all;
  private final WebcamCorpus.Scene scene;
  private final List<byte[]> corpus;
  private @Nullable PrintStream report;

  /** What one level measured; CPU figures are per session per recorded minute. */
  record Level(
      int sessions,
      double seconds,
      double hostCpuPerMinute,
      double hostCpuPerMinuteSteady,
      double clientCpuPerMinute,
      double hostBusy,
      double clientBusy,
      double othersBusy,
      boolean keptUp,
      String why,
      int replies,
      double replyP50Ms,
      double replyP99Ms,
      double replyMaxMs,
      double handlerP50Ms,
      double handlerP99Ms,
      int maxInFlight,
      long dropped,
      int maxQueued,
      long framesWritten,
      long framesExpected,
      double stopP50,
      double stopMax,
      double feedLateP99Ms,
      double heapPerSessionMb,
      double rssPerSessionMb,
      double fileMbPerMinute,
      double kbps,
      int detections,
      int withFaces) {}

  WebSocketLoad(String[] args) {
    List<Integer> levels = List.of(1, 2, 4, 6, 8, 10, 12);
    Duration duration = Duration.ofSeconds(20);
    Duration warmup = Duration.ofSeconds(8);
    Resolution resolution = new Resolution(1280, 720);
    String codec = "h264";
    int quality = 95;
    String hostHeap = "1g";
    Path out = WebcamCorpus.targetDirectory().resolve("load");
    boolean all = false;
    WebcamCorpus.Scene scene = WebcamCorpus.Scene.WEBCAM;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sessions" ->
          levels = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--duration" -> duration = seconds(args[++i]);
        case "--warmup" -> warmup = seconds(args[++i]);
        case "--resolution" -> resolution = Resolution.parse(args[++i]);
        case "--codec" -> codec = args[++i];
        case "--quality" -> quality = Integer.parseInt(args[++i]);
        case "--scene" -> scene = WebcamCorpus.Scene.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--host-heap" -> hostHeap = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        case "--all" -> all = true;
        default ->
          throw new IllegalArgumentException(
              "unknown argument " + args[i] + "; see WebSocketLoad's javadoc");
      }
    }
    if (levels.isEmpty() || levels.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("--sessions needs positive counts, was " + levels);
    }
    this.levels = levels;
    this.duration = duration;
    this.warmup = warmup;
    this.resolution = resolution;
    this.codec = codec;
    this.quality = quality;
    this.hostHeap = hostHeap;
    this.out = out.toAbsolutePath();
    this.all = all;
    this.scene = scene;
    WebcamCorpus webcam = WebcamCorpus.builder()
        .size(resolution.width(), resolution.height())
        .scene(scene)
        .build();
    this.corpus = webcam.load(WebcamCorpus.defaultCacheRoot().toAbsolutePath());
  }

  private static Duration seconds(String s) {
    return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    new WebSocketLoad(args).run();
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    report = new PrintStream(
        Files.newOutputStream(out.resolve("websocket.md")), true, StandardCharsets.UTF_8);
    say("# snapreel load harness: WebSocket through the example host");
    say("");
    say(LoadHarness.machine() + " (this JVM: the load generator)");
    say(String.format(
        Locale.ROOT,
        "host: ExampleServer in a child JVM, -Xms%s -Xmx%s -XX:+AlwaysPreTouch; Haar face detection on every frame",
        hostHeap,
        hostHeap));
    say(String.format(
        Locale.ROOT,
        "recording: %s %s @ %s fps, quality %d; source: %d JPEGs (%s, quality 0.8) as binary WebSocket messages at 5 FPS, +-60 ms jitter, stalls",
        codec,
        resolution,
        ReferenceRun.fmt(FPS),
        quality,
        corpus.size(),
        scene.name().toLowerCase(Locale.ROOT)));
    say("");

    Path recordings = out.resolve("websocket-recordings");
    List<Level> results = new ArrayList<>();
    try (ExampleHost host = startHost(recordings)) {
      System.out.println("host pid " + host.pid() + ", log " + host.log());
      if (!warmup.isZero()) {
        Level w = level(host, 1, warmup); // JIT, natives, first-use paths of the host: not reported
        System.out.printf(
            Locale.ROOT,
            "warm-up (1 session, %.0f s): %s, reply p50 %.1f ms p99 %.1f ms%n",
            warmup.toMillis() / 1e3,
            w.keptUp() ? "kept up" : "did not keep up (" + w.why() + ")",
            w.replyP50Ms(),
            w.replyP99Ms());
      }
      for (int n : levels) {
        Level level = level(host, n, duration);
        results.add(level);
        System.out.printf(
            Locale.ROOT,
            "N=%d: %s (%s); host CPU %.2f s/min/session, busy host %.0f%% harness %.0f%% others %.0f%%; reply p50 %.1f p99 %.1f max %.1f ms (host handler p50 %.1f p99 %.1f); max queue %d, max in flight %d%n",
            n,
            level.keptUp() ? "kept up" : "DID NOT keep up",
            level.why(),
            level.hostCpuPerMinute(),
            100 * level.hostBusy(),
            100 * level.clientBusy(),
            100 * level.othersBusy(),
            level.replyP50Ms(),
            level.replyP99Ms(),
            level.replyMaxMs(),
            level.handlerP50Ms(),
            level.handlerP99Ms(),
            level.maxQueued(),
            level.maxInFlight());
        if (!host.alive()) {
          throw new IllegalStateException(
              "the example host died; its output:\n" + ExampleHost.tail(host.log()));
        }
        if (!level.keptUp() && !all) {
          break;
        }
      }
    }
    LoadHarness.deleteTree(recordings);

    say("## Concurrent real-time sessions through the WebSocket");
    say("");
    say(
        "| N | kept up | host CPU s / rec. min / session (total) | (steady) | harness CPU s / rec. min / session | CPU busy: host / harness / others | replies | reply ms p50 / p99 / max | p99 < "
            + ReferenceRun.fmt(REPLY_P99_TARGET_MS)
            + " ms | host handler ms p50 / p99 | max in flight | dropped | max queue | frames written / expected | end p50 / max s | feed late p99 ms | host heap MB / session | host RSS MB / session | MB per rec. min | kbit/s |");
    say(
        "|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Level l : results) {
      say(String.format(
          Locale.ROOT,
          "| %d | %s | %.2f | %s | %.2f | %.0f%% / %.0f%% / %.0f%% | %d | %.1f / %.1f / %.1f | %s | %.1f / %.1f | %d | %d | %d | %d / %d | %.2f / %.2f | %.0f | %s | %s | %.2f | %.0f |",
          l.sessions(),
          l.keptUp() ? "yes" : "**no** (" + l.why() + ")",
          l.hostCpuPerMinute(),
          num(l.hostCpuPerMinuteSteady(), 2),
          l.clientCpuPerMinute(),
          100 * l.hostBusy(),
          100 * l.clientBusy(),
          100 * l.othersBusy(),
          l.replies(),
          l.replyP50Ms(),
          l.replyP99Ms(),
          l.replyMaxMs(),
          l.replyP99Ms() < REPLY_P99_TARGET_MS ? "yes" : "**no**",
          l.handlerP50Ms(),
          l.handlerP99Ms(),
          l.maxInFlight(),
          l.dropped(),
          l.maxQueued(),
          l.framesWritten(),
          l.framesExpected(),
          l.stopP50(),
          l.stopMax(),
          l.feedLateP99Ms(),
          num(l.heapPerSessionMb(), 1),
          num(l.rssPerSessionMb(), 1),
          l.fileMbPerMinute(),
          l.kbps()));
    }
    say("");
    Level best = results.stream()
        .filter(Level::keptUp)
        .reduce((a, b) -> b.sessions() > a.sessions() ? b : a)
        .orElse(null);
    say("Largest N that kept up: **" + (best == null ? 0 : best.sessions()) + "**"
        + (!results.isEmpty() && results.stream().allMatch(Level::keptUp)
            ? " (every level tried kept up; try larger N)"
            : ""));
    say("");
    say(targetLine(best));
    int fastest = results.stream()
        .filter(l -> l.keptUp() && l.replyP99Ms() < REPLY_P99_TARGET_MS)
        .mapToInt(Level::sessions)
        .max()
        .orElse(0);
    say("");
    say("Largest N that kept up with reply p99 < " + ReferenceRun.fmt(REPLY_P99_TARGET_MS)
        + " ms: **" + fastest + "**");
    long detections = results.stream().mapToLong(Level::detections).sum();
    long faces = results.stream().mapToLong(Level::withFaces).sum();
    say("");
    say(String.format(
        Locale.ROOT,
        "The detector found a face in %.0f%% of %d analysed frames.",
        detections == 0 ? 0 : 100.0 * faces / detections,
        detections));
    report.close();
    System.out.println();
    System.out.println("Results written to " + out.resolve("websocket.md"));
  }

  /** The example host for this run's levels, recording under {@code recordings} (emptied first). */
  ExampleHost startHost(Path recordings) throws IOException, InterruptedException {
    Files.createDirectories(out);
    LoadHarness.deleteTree(recordings);
    int maxActive = levels.stream().mapToInt(Integer::intValue).max().orElse(1) + 1;
    return ExampleHost.start(
        recordings,
        out.resolve("websocket-host.log"),
        maxActive,
        List.of("-Xms" + hostHeap, "-Xmx" + hostHeap, "-XX:+AlwaysPreTouch"),
        HOST_START);
  }

  /** The target's verdict at full load, the largest N that kept up. */
  static String targetLine(@Nullable Level fullLoad) {
    if (fullLoad == null) {
      return "Reply p99 target (< " + ReferenceRun.fmt(REPLY_P99_TARGET_MS)
          + " ms at full load): not assessed, no level kept up.";
    }
    double p99 = fullLoad.replyP99Ms();
    String verdict = p99 < REPLY_P99_TARGET_MS
        ? "**met**"
        : String.format(
            Locale.ROOT,
            "**missed by %.1f ms (%.0f %%)**",
            p99 - REPLY_P99_TARGET_MS,
            100 * (p99 - REPLY_P99_TARGET_MS) / REPLY_P99_TARGET_MS);
    return String.format(
        Locale.ROOT,
        "Reply p99 at full load (N = %d): %.1f ms against < %s ms: %s",
        fullLoad.sessions(),
        p99,
        ReferenceRun.fmt(REPLY_P99_TARGET_MS),
        verdict);
  }

  private static String num(double v, int decimals) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** N sessions through {@code host} for {@code duration}, measured. */
  Level level(ExampleHost host, int n, Duration duration) throws Exception {
    long pid = host.pid();
    long rss0 = ProcessMetrics.rssBytes(pid);
    long heap0 = ProcessMetrics.heapAfterGc(pid);
    String[] tokens = new String[n];
    String[] sessions = new String[n];
    String[] recordingIds = new String[n];
    SnapshotTimeline[] timelines = new SnapshotTimeline[n];
    int[] corpusOffset = new int[n];
    long[] stagger = RealTimeFeed.stagger(n);
    for (int i = 0; i < n; i++) {
      // One user per session, as real clients are; users differ per level so nothing carries over.
      tokens[i] = host.token("load-n" + n + "-" + i);
      sessions[i] = host.createSession(tokens[i], "load " + n + " #" + i);
      recordingIds[i] =
          host.startRecording(tokens[i], sessions[i], FPS, resolution.toString(), codec, quality);
      timelines[i] = LoadHarness.timeline(n, i, duration);
      corpusOffset[i] = LoadHarness.corpusOffset(i, corpus.size());
    }
    List<CompletableFuture<Connection>> opening = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      opening.add(Connection.open(host, sessions[i], tokens[i]));
    }
    Connection[] connections = new Connection[n];
    for (int i = 0; i < n; i++) {
      connections[i] = opening.get(i).get(30, TimeUnit.SECONDS);
    }

    long busy0 = ProcessMetrics.machineBusyNanos();
    long host0 = ProcessMetrics.cpuNanos(pid);
    long client0 = ProcessMetrics.cpuNanos();
    long t0 = System.nanoTime() + LoadHarness.START_DELAY_NANOS;
    long wallEnd = t0 + duration.toNanos() + stagger[n - 1];
    // "Steady" leaves out the first 2 s (connections' first frames, encoder start-up), as
    // LoadHarness does.
    AtomicLong hostSteady0 = new AtomicLong(-1);
    long steadyAt = t0 + 2_000_000_000L;
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "websocket-load-sampler");
      t.setDaemon(true);
      return t;
    });
    ScheduledFuture<?> unusedSteady = sampler.schedule(
        () -> hostSteady0.set(ProcessMetrics.cpuNanos(pid)),
        steadyAt - System.nanoTime(),
        TimeUnit.NANOSECONDS);

    long[] lateness = RealTimeFeed.run(
        timelines,
        stagger,
        t0,
        (s, j, now) -> connections[s].send(corpus.get((j + corpusOffset[s]) % corpus.size()), now));
    long rest = wallEnd - System.nanoTime();
    if (rest > 0) {
      TimeUnit.NANOSECONDS.sleep(rest);
    }
    long hostFeedEnd = ProcessMetrics.cpuNanos(pid);
    long wallFeedEnd = System.nanoTime();
    sampler.shutdownNow();
    awaitReplies(connections);

    // Memory with all N sessions open. The probe's full GC and jcmd runs are left out of every CPU
    // figure.
    long probeWall0 = System.nanoTime();
    long probeHost0 = ProcessMetrics.cpuNanos(pid);
    long probeClient0 = ProcessMetrics.cpuNanos();
    long probeBusy0 = ProcessMetrics.machineBusyNanos();
    long rss1 = ProcessMetrics.rssBytes(pid);
    long heap1 = ProcessMetrics.heapAfterGc(pid);
    long probeNanos = System.nanoTime() - probeWall0;
    long probeHost = ProcessMetrics.cpuNanos(pid) - probeHost0;
    long probeClient = ProcessMetrics.cpuNanos() - probeClient0;
    long probeBusy = ProcessMetrics.machineBusyNanos() - probeBusy0;

    for (Connection c : connections) {
      c.close();
    }
    // End every session at once (each stops its recording: flush, remux, store), like a class
    // ending.
    long[] endSent = new long[n];
    long[] endDone = new long[n];
    List<CompletableFuture<JsonNode>> ends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      endSent[i] = System.nanoTime();
      ends.add(host.endSession(tokens[i], sessions[i])
          .whenComplete((r, e) -> endDone[k] = System.nanoTime()));
    }
    int failed = 0;
    for (CompletableFuture<JsonNode> f : ends) {
      try {
        f.get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        failed++;
        System.out.println("  ending a session failed: " + e);
      }
    }
    long host1 = ProcessMetrics.cpuNanos(pid) - probeHost;
    long client1 = ProcessMetrics.cpuNanos() - probeClient;
    long busy1 = ProcessMetrics.machineBusyNanos() - probeBusy;
    long wall1 = System.nanoTime() - probeNanos;

    long[] written = new long[n];
    long[] expected = new long[n];
    long dropped = 0;
    long bytes = 0;
    double recordedSeconds = 0;
    for (int i = 0; i < n; i++) {
      JsonNode m = host.recording(tokens[i], recordingIds[i]);
      if (!"completed".equals(m.path("status").asText())) {
        failed++;
        System.out.println("  recording " + recordingIds[i] + " ended "
            + m.path("status").asText() + ": " + m.path("error"));
      }
      written[i] = m.path("frame_count").asLong();
      dropped += m.path("frames_dropped").asLong();
      bytes += m.path("file_size_bytes").asLong();
      recordedSeconds += m.path("duration_seconds").asDouble();
      long first = connections[i].tracker.firstSent();
      expected[i] = first < 0 ? 0 : Math.round((endSent[i] - first) / 1e9 * FPS);
      host.deleteRecording(tokens[i], recordingIds[i]);
    }

    long[] latencies = Arrays.stream(connections)
        .flatMapToLong(c -> Arrays.stream(c.tracker.latencies()))
        .toArray();
    int maxInFlight = 0;
    int maxQueued = 0;
    long unanswered = 0;
    long errors = 0;
    int detections = 0;
    int withFaces = 0;
    for (Connection c : connections) {
      ReplyTracker t = c.tracker;
      maxInFlight = Math.max(maxInFlight, t.maxInFlight());
      maxQueued = Math.max(maxQueued, t.maxQueued());
      unanswered += t.unanswered();
      errors += t.errors() + t.misnumbered();
      if (t.recordingInactive()) {
        failed++; // a reply said the recording was not active while frames were still coming
      }
      detections += t.detections();
      withFaces += t.withFaces();
      if (c.failure != null) {
        System.out.println("  connection to session " + c.sessionId + ": " + c.failure);
      }
    }
    Percentiles replies = Percentiles.of(latencies);
    Percentiles handler = Percentiles.of(Arrays.stream(connections)
        .flatMapToLong(c -> Arrays.stream(c.tracker.processingNanos()))
        .filter(v -> v >= 0)
        .toArray());
    double[] stops = new double[n];
    for (int i = 0; i < n; i++) {
      stops[i] = (endDone[i] - endSent[i]) / 1e9;
    }
    Arrays.sort(stops);
    KeepUp verdict = new KeepUp()
        .dropped(dropped)
        .failed(failed)
        .maxQueued(maxQueued)
        .slowestStop(stops[n - 1])
        .unanswered(unanswered)
        .errorReplies(errors)
        .maxInFlight(maxInFlight)
        .frames(written, expected);

    double minutesPerSession = recordedSeconds / n / 60.0;
    // The recordings ran on through the memory probe, whose CPU is left out: leave its time out
    // too.
    double cpuMinutesPerSession = minutesPerSession - probeNanos / 1e9 / 60.0;
    double wall = (wall1 - t0) / 1e9;
    int cores = Runtime.getRuntime().availableProcessors();
    double hostCpu = (host1 - host0) / 1e9;
    double clientCpu = (client1 - client0) / 1e9;
    double steadyMinutes = (wallFeedEnd - steadyAt) / 1e9 / 60.0;
    double hostSteady = hostSteady0.get() < 0 || steadyMinutes <= 0
        ? Double.NaN
        : (hostFeedEnd - hostSteady0.get()) / 1e9 / n / steadyMinutes;
    double others = busy0 < 0 || busy1 < 0
        ? Double.NaN
        : Math.max(0, (busy1 - busy0) / 1e9 - hostCpu - clientCpu) / wall / cores;
    return new Level(
        n,
        minutesPerSession * 60,
        hostCpu / n / cpuMinutesPerSession,
        hostSteady,
        clientCpu / n / cpuMinutesPerSession,
        hostCpu / wall / cores,
        clientCpu / wall / cores,
        others,
        verdict.keptUp(),
        verdict.why(),
        replies.count(),
        replies.millis(0.5),
        replies.millis(0.99),
        replies.maxMillis(),
        handler.millis(0.5),
        handler.millis(0.99),
        maxInFlight,
        dropped,
        maxQueued,
        Arrays.stream(written).sum(),
        Arrays.stream(expected).sum(),
        stops[n / 2],
        stops[n - 1],
        Percentiles.of(lateness).millis(0.99),
        perSessionMb(heap0, heap1, n),
        perSessionMb(rss0, rss1, n),
        bytes / (double) n / (1 << 20) / minutesPerSession,
        bytes * 8.0 / 1000 / recordedSeconds,
        detections,
        withFaces);
  }

  private static double perSessionMb(long before, long after, int n) {
    return before < 0 || after < 0 ? Double.NaN : (after - before) / (double) n / (1 << 20);
  }

  /** Waits until every frame sent has its reply, a connection broke, or {@link #REPLY_WAIT} passed. */
  private static void awaitReplies(Connection[] connections) throws InterruptedException {
    long deadline = System.nanoTime() + REPLY_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean waiting = false;
      for (Connection c : connections) {
        waiting |= c.failure == null && c.tracker.unanswered() > 0;
      }
      if (!waiting) {
        return;
      }
      Thread.sleep(10);
    }
  }

  private void say(String line) {
    System.out.println(line);
    if (report != null) {
      report.println(line);
    }
  }

  /**
   * One session's WebSocket: frames go out in order through a chain of sends (the JDK allows one
   * outstanding send, a browser queues them), each stamped when handed over, which is when a page
   * would call {@code send}; replies are stamped on arrival.
   */
  static final class Connection implements WebSocket.Listener {
    final ReplyTracker tracker = new ReplyTracker();
    final String sessionId;
    private final StringBuilder text = new StringBuilder();
    private @Nullable WebSocket socket;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    volatile @Nullable String failure;
    private volatile boolean closing;

    private Connection(String sessionId) {
      this.sessionId = sessionId;
    }

    static CompletableFuture<Connection> open(ExampleHost host, String sessionId, String token) {
      Connection c = new Connection(sessionId);
      return host.http()
          .newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .buildAsync(host.webSocketUri(sessionId, token), c)
          .thenApply(ws -> {
            c.socket = ws;
            return c;
          });
    }

    /** Called from the feeder thread only. */
    void send(byte[] jpeg, long nowNanos) {
      WebSocket ws = socket;
      if (ws == null) {
        throw new IllegalStateException("not open");
      }
      tracker.sent(nowNanos);
      tail = tail.thenCompose(v -> ws.sendBinary(ByteBuffer.wrap(jpeg), true))
          .whenComplete((v, e) -> {
            if (e != null && failure == null) {
              failure = "send failed: " + e;
            }
          });
    }

    @Override
    public @Nullable CompletionStage<?> onText(
        WebSocket webSocket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      text.append(data);
      if (last) {
        ReplyTracker.Reply reply;
        try {
          reply = ReplyTracker.Reply.parse(text.toString());
        } catch (RuntimeException e) {
          reply = new ReplyTracker.Reply("unparseable", -1, 0, false, -1, -1);
        }
        text.setLength(0);
        tracker.replied(reply, now);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(
        WebSocket webSocket, int statusCode, String reason) {
      if (!closing && failure == null) {
        failure = "closed by the host: " + statusCode + " " + reason;
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      if (!closing && failure == null) {
        failure = "error: " + error;
      }
    }

    /** Closes after the last send, waiting briefly for the close handshake. */
    void close() {
      WebSocket ws = socket;
      if (ws == null) {
        return;
      }
      closing = true;
      try {
        tail.exceptionally(e -> null)
            .thenCompose(v -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
            .get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the server may already be gone; abort below regardless
      } finally {
        ws.abort();
      }
    }
  }
}
