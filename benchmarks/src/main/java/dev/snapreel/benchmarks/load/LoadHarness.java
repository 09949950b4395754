package dev.snapreel.benchmarks.load;

import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.RecordingStats;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.benchmarks.corpus.SnapshotTimeline;
import dev.snapreel.benchmarks.corpus.WebcamCorpus;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.opencv.OpenCvSinks;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.storage.LocalStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.jspecify.annotations.Nullable;

/**
 * Real-time load: for each N, N concurrent recordings through a real {@link RecordingService}
 * (FFmpeg sink, or OpenCV's with {@code --sink opencv}; local storage) fed webcam JPEGs at 5 FPS on
 * jittered, stalling timelines for a fixed wall-clock duration; then the same corpus through the
 * ffmpeg command line with identical encoder settings. Prints Markdown tables (and writes them to
 * {@code <out>/results.md}).
 *
 * <p>A level <em>keeps up</em> when no snapshot was dropped, no recording failed, the snapshot
 * queue never held more than {@value KeepUp#MAX_QUEUE} snapshots, and every stop (flush + remux +
 * store) finished within {@value KeepUp#MAX_STOP_SECONDS} s ({@link KeepUp}). Levels run in
 * ascending order and stop after the first that does not keep up (unless {@code --all}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.snapreel.benchmarks.load.LoadHarness [--sessions
 * 1,2,4,8,12,16,20,24] [--duration 20] [--resolution 1280x720] [--codec h264] [--quality 95] [--out
 * <dir of benchmarks.jar>/load] [--all] [--no-reference] [--no-psnr] [--memory-trace 10] [--scene
 * webcam|noisy] [--sink ffmpeg|opencv]}. {@code --sink opencv} records through OpenCV's VideoWriter
 * ({@code --codec mp4v} or {@code h264}; needs {@code OPENCV_VIDEOIO_PLUGIN_PATH}, see {@code
 * EncodeBenchmark}); the ffmpeg command-line references always use the FFmpeg sink.
 *
 * <p>With {@code --websocket} the same load goes through the example host's WebSocket instead
 * ({@link WebSocketLoad}, which documents its options).
 */
public final class LoadHarness {
  static final long START_DELAY_NANOS = 300_000_000L;

  private final List<Integer> levels;
  private final Duration duration;
  private final RecordingOptions options;
  private final FrameSink sink;
  private final Path out;
  private final boolean all;
  private final boolean reference;
  private final boolean psnr;
  private final int memoryTraceSeconds;
  private final List<byte[]> corpus;
  private final Path corpusDir;
  private final PrintStream report;

  /** What one level measured. */
  @SuppressWarnings("ArrayRecordComponent") // a report row, never compared or hashed
  record Level(
      int sessions,
      double seconds,
      double cpuPerMinuteTotal,
      double cpuPerMinuteSteady,
      double machineLoad,
      boolean keptUp,
      String why,
      long dropped,
      long rejected,
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
      int failed,
      @Nullable Path psnrFile,
      int[] psnrSlots,
      int psnrCorpusOffset,
      double othersLoad,
      double maxQueueAtSeconds,
      double backlogPercent) {}

  private LoadHarness(String[] args) throws IOException {
    List<Integer> levels = List.of(1, 2, 4, 8, 12, 16, 20, 24);
    Duration duration = Duration.ofSeconds(20);
    Resolution resolution = new Resolution(1280, 720);
    String codec = "h264";
    int quality = RecordingOptions.defaults().quality();
    Path out = WebcamCorpus.targetDirectory().resolve("load");
    boolean all = false;
    boolean reference = true;
    boolean psnr = true;
    int memoryTrace = 0;
    WebcamCorpus.Scene scene = WebcamCorpus.Scene.WEBCAM;
    FrameSink sink = FfmpegSinks.h264();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sessions" ->
          levels = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--duration" ->
          duration = Duration.ofMillis(Math.round(Double.parseDouble(args[++i]) * 1000));
        case "--resolution" -> resolution = Resolution.parse(args[++i]);
        case "--codec" -> codec = args[++i];
        case "--quality" -> quality = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--all" -> all = true;
        case "--no-reference" -> reference = false;
        case "--no-psnr" -> psnr = false;
        case "--memory-trace" -> memoryTrace = Integer.parseInt(args[++i]);
        case "--scene" -> scene = WebcamCorpus.Scene.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--sink" ->
          sink = switch (args[++i]) {
            case "ffmpeg" -> FfmpegSinks.h264();
            case "opencv" -> OpenCvSinks.videoWriter();
            default ->
              throw new IllegalArgumentException("--sink is ffmpeg or opencv, not " + args[i]);
          };
        default ->
          throw new IllegalArgumentException(
              "unknown argument " + args[i] + "; see the class javadoc");
      }
    }
    this.levels = levels;
    this.duration = duration;
    this.options = RecordingOptions.defaults()
        .withResolution(resolution)
        .withCodec(codec)
        .withQuality(quality)
        .withFps(30);
    this.sink = sink;
    this.out = out.toAbsolutePath();
    this.all = all;
    this.reference = reference;
    this.psnr = psnr;
    this.memoryTraceSeconds = memoryTrace;
    WebcamCorpus webcam = WebcamCorpus.builder()
        .size(resolution.width(), resolution.height())
        .scene(scene)
        .build();
    this.corpusDir = webcam.writeTo(WebcamCorpus.defaultCacheRoot().toAbsolutePath());
    this.corpus = webcam.load(WebcamCorpus.defaultCacheRoot().toAbsolutePath());
    Files.createDirectories(this.out);
    this.report = new PrintStream(
        Files.newOutputStream(this.out.resolve("results.md")), true, StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (Arrays.asList(args).contains("--websocket")) {
      WebSocketLoad.main(
          Arrays.stream(args).filter(a -> !a.equals("--websocket")).toArray(String[]::new));
      return;
    }
    new LoadHarness(args).run();
  }

  private void run() throws Exception {
    say("# snapreel load harness");
    say("");
    say(machine());
    say(String.format(
        Locale.ROOT,
        "recording: %s sink, %s %s @ %s fps, quality %d; "
            + "source: %d JPEGs (%s, quality 0.8) at 5 FPS, +-60 ms jitter, stalls",
        sink.name(),
        options.codec(),
        options.resolution(),
        ReferenceRun.fmt(options.fps()),
        options.quality(),
        corpus.size(),
        corpusDir.getFileName()));
    say("");

    EncodingSpec spec = EncodingSpec.of(options);
    List<ReferenceRun.Result> refs = new ArrayList<>();
    if (reference) {
      refs = references(spec); // also warms up the JIT and loads the natives before the first level
    }

    List<Level> results = new ArrayList<>();
    for (int n : levels) {
      Level level = level(n);
      results.add(level);
      System.out.printf(
          Locale.ROOT,
          "N=%d: %s (%s); CPU %.2f s/min/session, busy ours %.0f%% others %.0f%%, dropped %d, max queue %d at %.1f s, stop max %.2f s%n",
          n,
          level.keptUp() ? "kept up" : "DID NOT keep up",
          level.why(),
          level.cpuPerMinuteTotal(),
          100 * level.machineLoad(),
          100 * level.othersLoad(),
          level.dropped(),
          level.maxQueued(),
          level.maxQueueAtSeconds(),
          level.stopMax());
      if (!level.keptUp() && !all) {
        break;
      }
    }

    say("## Concurrent real-time recordings");
    say("");
    say(
        "| N | kept up | CPU s / recorded min / session (total) | (steady) | CPU busy: ours / other processes | dropped | max queue (at s) | backlog time | frames written / expected | stop p50 / max s | feed late p99 ms | heap MB / session | RSS MB / session | MB per recorded min | kbit/s | PSNR dB mean / min |");
    say("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Level l : results) {
      String quality = "n/a";
      if (psnr && l.psnrFile() != null) {
        Psnr.Result p = Psnr.measure(
            l.psnrFile(),
            corpus,
            slot -> (l.psnrSlots()[slot] + l.psnrCorpusOffset()) % corpus.size(),
            l.psnrSlots().length);
        quality = String.format(
            Locale.ROOT, "%.2f / %.2f (%d frames)", p.meanDb(), p.minDb(), p.frames());
      }
      say(String.format(
          Locale.ROOT,
          "| %d | %s | %.2f | %.2f | %.0f%% / %.0f%% | %d | %d (%.1f) | %.0f%% | %d / %d | %.2f / %.2f | %.0f | %.1f | %.1f | %.2f | %.0f | %s |",
          l.sessions(),
          l.keptUp() ? "yes" : "**no** (" + l.why() + ")",
          l.cpuPerMinuteTotal(),
          l.cpuPerMinuteSteady(),
          100 * l.machineLoad(),
          100 * l.othersLoad(),
          l.dropped(),
          l.maxQueued(),
          l.maxQueueAtSeconds(),
          l.backlogPercent(),
          l.framesWritten(),
          l.framesExpected(),
          l.stopP50(),
          l.stopMax(),
          l.feedLateP99Ms(),
          l.heapPerSessionMb(),
          l.rssPerSessionMb(),
          l.fileMbPerMinute(),
          l.kbps(),
          quality));
    }
    int best =
        results.stream().filter(Level::keptUp).mapToInt(Level::sessions).max().orElse(0);
    say("");
    say("Largest N that kept up: **" + best + "**"
        + (results.stream().allMatch(Level::keptUp)
            ? " (every level tried kept up; try larger N)"
            : ""));
    say("");

    if (!refs.isEmpty()) {
      say(
          "## Side by side with the ffmpeg command line (same corpus, same encoder settings, offline, as fast as possible)");
      say("");
      say(
          "| run | CPU s | wall s | output frames | CPU s / recorded min | file KB | PSNR dB mean / min |");
      say("|---|---:|---:|---:|---:|---:|---|");
      for (ReferenceRun.Result r : refs) {
        say(String.format(
            Locale.ROOT,
            "| %s | %.2f | %.2f | %d | %.2f | %d | %.2f / %.2f |",
            r.label(),
            r.cpuSeconds(),
            r.wallSeconds(),
            r.outputFrames(),
            r.cpuPerRecordedMinute(options.fps()),
            r.fileBytes() / 1024,
            r.psnr().meanDb(),
            r.psnr().minDb()));
      }
      say("");
      ratio(refs, "ours-h264", "ffmpeg-cli-libopenh264");
      ratio(refs, "ours-mpeg4", "ffmpeg-cli-mpeg4");
      say("");
      say("Commands:");
      say("");
      for (ReferenceRun.Result r : refs) {
        say("- " + r.label() + ": `" + r.command() + "`");
      }
    }
    report.close();
    deleteTree(out.resolve("psnr"));
    System.out.println();
    System.out.println("Results written to " + out.resolve("results.md"));
  }

  private void ratio(List<ReferenceRun.Result> refs, String ours, String theirs) {
    ReferenceRun.Result a =
        refs.stream().filter(r -> r.label().equals(ours)).findFirst().orElse(null);
    ReferenceRun.Result b =
        refs.stream().filter(r -> r.label().equals(theirs)).findFirst().orElse(null);
    if (a != null && b != null) {
      say(String.format(
          Locale.ROOT,
          "- CPU ratio %s / %s = **%.2fx** (file size ratio %.2f)",
          ours,
          theirs,
          a.cpuPerRecordedMinute(options.fps()) / b.cpuPerRecordedMinute(options.fps()),
          (double) a.fileBytes() / b.fileBytes()));
    }
  }

  private List<ReferenceRun.Result> references(EncodingSpec spec) throws Exception {
    ReferenceRun run = new ReferenceRun(corpusDir, corpus, spec, out.resolve("reference"));
    String bundled =
        Loader.load(org.bytedeco.ffmpeg.ffmpeg.class); // the same FFmpeg 8 build the sink links
    String qp =
        Integer.toString(dev.snapreel.ffmpeg.internal.RateControl.openh264Qp(spec.quality()));
    String qscale =
        Integer.toString(dev.snapreel.ffmpeg.internal.RateControl.mpeg4Qscale(spec.quality()));
    int gop = spec.gopFrames();
    List<ReferenceRun.Result> results = new ArrayList<>();
    FrameSink ffmpeg = FfmpegSinks.h264();
    EncodingSpec h264 = new EncodingSpec(
        "h264",
        spec.width(),
        spec.height(),
        spec.fps(),
        spec.quality(),
        spec.keyframeIntervalSeconds());
    EncodingSpec mpeg4 = new EncodingSpec(
        "mpeg4",
        spec.width(),
        spec.height(),
        spec.fps(),
        spec.quality(),
        spec.keyframeIntervalSeconds());
    new ReferenceRun(corpusDir, corpus, h264, out.resolve("reference"))
        .ours("warmup", ffmpeg); // JIT, natives
    results.add(new ReferenceRun(corpusDir, corpus, h264, out.resolve("reference"))
        .ours("ours-h264", ffmpeg));
    results.add(run.cli(
        "ffmpeg-cli-libopenh264",
        bundled,
        List.of(
            "-c:v",
            "libopenh264",
            "-profile:v",
            "high",
            "-allow_skip_frames",
            "0",
            "-rc_mode",
            "quality",
            "-qmin",
            qp,
            "-qmax",
            qp,
            "-g",
            Integer.toString(gop),
            "-bf",
            "0",
            "-threads",
            "1")));
    results.add(new ReferenceRun(corpusDir, corpus, mpeg4, out.resolve("reference"))
        .ours("ours-mpeg4", ffmpeg));
    results.add(run.cli(
        "ffmpeg-cli-mpeg4",
        bundled,
        List.of(
            "-c:v",
            "mpeg4",
            "-q:v",
            qscale,
            "-g",
            Integer.toString(gop),
            "-bf",
            "0",
            "-threads",
            "1")));
    Path system = Path.of("/usr/bin/ffmpeg");
    if (Files.isExecutable(system)) {
      // Debian's ffmpeg has no libopenh264: libx264 here is a different encoder, for orientation
      // only.
      results.add(run.cli(
          "system-ffmpeg-libx264-veryfast",
          system.toString(),
          List.of(
              "-c:v",
              "libx264",
              "-preset",
              "veryfast",
              "-crf",
              Integer.toString(dev.snapreel.ffmpeg.internal.RateControl.x264Crf(spec.quality())),
              "-g",
              Integer.toString(gop),
              "-bf",
              "0",
              "-threads",
              "1")));
    }
    for (ReferenceRun.Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "reference %s: %.2f CPU s, %d frames, %d KB%n",
          r.label(),
          r.cpuSeconds(),
          r.outputFrames(),
          r.fileBytes() / 1024);
    }
    deleteTree(out.resolve("reference"));
    return results;
  }

  private Level level(int n) throws Exception {
    Path dir = out.resolve("n" + n);
    deleteTree(dir);
    Files.createDirectories(dir);
    RecordingService service = RecordingService.builder()
        .sink(sink)
        .storage(LocalStorage.create(dir.resolve("storage")))
        .workDirectory(dir.resolve("work"))
        .defaults(options)
        .maxActiveRecordings(n + 1)
        .maxUserActiveRecordings(n + 1)
        // Corpus capture times are replayed as recorded; the host-facing limits are not measured
        // here.
        .maxCaptureLead(java.time.Duration.ofHours(1))
        .build();
    try {
      return measure(n, service, dir);
    } finally {
      service.close();
    }
  }

  private Level measure(int n, RecordingService service, Path dir) throws Exception {
    long heap0 = ProcessMetrics.heapAfterGc();
    long rss0 = ProcessMetrics.rssBytes();
    SnapshotTimeline[] timelines = new SnapshotTimeline[n];
    ActiveRecording[] recordings = new ActiveRecording[n];
    int[] corpusOffset = new int[n];
    long[] stagger = RealTimeFeed.stagger(n);
    for (int i = 0; i < n; i++) {
      timelines[i] = timeline(n, i, duration);
      corpusOffset[i] = corpusOffset(i, corpus.size());
      recordings[i] = service.start("bench", "s" + i, options);
    }
    AtomicInteger maxQueued = new AtomicInteger();
    AtomicLong maxQueuedAt = new AtomicLong();
    AtomicInteger samples = new AtomicInteger();
    AtomicInteger backlogSamples = new AtomicInteger();
    long busy0 = ProcessMetrics.machineBusyNanos();
    AtomicLong heapMid = new AtomicLong(-1);
    AtomicLong rssMid = new AtomicLong(-1);
    AtomicLong cpuSteadyStart = new AtomicLong(-1);
    long cpu0 = ProcessMetrics.cpuNanos();
    long t0 = System.nanoTime() + START_DELAY_NANOS;
    long wallEnd = t0 + duration.toNanos() + stagger[n - 1];
    long[] firstWrite = new long[n];
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-sampler");
      t.setDaemon(true);
      return t;
    });
    long memoryAt = t0 + (long) (duration.toNanos() * 0.6);
    long[] lastTrace = {t0};
    ScheduledFuture<?> unusedSampling = sampler.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          int deepest = 0;
          for (ActiveRecording r : recordings) {
            deepest = Math.max(deepest, r.stats().queued());
          }
          samples.incrementAndGet();
          if (deepest > KeepUp.MAX_QUEUE) {
            backlogSamples.incrementAndGet();
          }
          if (deepest > maxQueued.get()) {
            maxQueued.set(deepest);
            maxQueuedAt.set(now - t0);
          }
          if (cpuSteadyStart.get() < 0 && now >= t0 + 2_000_000_000L) {
            cpuSteadyStart.set(ProcessMetrics.cpuNanos());
          }
          if (heapMid.get() < 0 && now >= memoryAt) {
            heapMid.set(ProcessMetrics.heapAfterGc());
            rssMid.set(ProcessMetrics.rssBytes());
          }
          if (memoryTraceSeconds > 0 && now - lastTrace[0] >= memoryTraceSeconds * 1_000_000_000L) {
            lastTrace[0] = now;
            System.out.printf(
                Locale.ROOT,
                "  t=%4.0fs heap after GC %d MB, RSS %d MB%n",
                (now - t0) / 1e9,
                ProcessMetrics.heapAfterGc() >> 20,
                ProcessMetrics.rssBytes() >> 20);
          }
        },
        100,
        100,
        TimeUnit.MILLISECONDS);

    long[] lateness = RealTimeFeed.run(timelines, stagger, t0, (session, j, now) -> {
      if (j == 0) {
        firstWrite[session] = now;
      }
      byte[] jpeg = corpus.get((j + corpusOffset[session]) % corpus.size());
      // The capture time keeps the client's timeline even when this feeder runs late.
      recordings[session].write(
          Snapshot.encoded(jpeg).capturedAt(timelines[session].offsetNanos(j)));
    });
    long rest = wallEnd - System.nanoTime();
    if (rest > 0) {
      TimeUnit.NANOSECONDS.sleep(rest);
    }
    long cpuFeedEnd = ProcessMetrics.cpuNanos();
    long wallFeedEnd = System.nanoTime();
    sampler.shutdown();
    sampler.awaitTermination(5, TimeUnit.SECONDS);

    RecordingStats[] stats = new RecordingStats[n];
    for (int i = 0; i < n; i++) {
      stats[i] = recordings[i].stats();
    }
    long stopRequested = System.nanoTime();
    double[] stopSeconds = new double[n];
    List<CompletableFuture<RecordingMetadata>> stops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      stops.add(recordings[i]
          .stopAsync()
          .whenComplete((m, err) -> stopSeconds[k] = (System.nanoTime() - stopRequested) / 1e9));
    }
    List<RecordingMetadata> done = new ArrayList<>();
    int failed = 0;
    for (CompletableFuture<RecordingMetadata> f : stops) {
      try {
        RecordingMetadata m = f.get(120, TimeUnit.SECONDS);
        done.add(m);
        if (m.status() != RecordingStatus.COMPLETED) {
          failed++;
        }
      } catch (Exception e) {
        failed++;
      }
    }
    long cpu1 = ProcessMetrics.cpuNanos();
    long wall1 = System.nanoTime();
    long busy1 = ProcessMetrics.machineBusyNanos();

    long dropped = 0;
    long rejected = 0;
    long written = 0;
    long expected = 0;
    long bytes = 0;
    double recordedSeconds = 0;
    for (int i = 0; i < n; i++) {
      dropped += stats[i].framesDropped();
      rejected += stats[i].framesRejected();
    }
    long metaDropped = 0;
    for (RecordingMetadata m : done) {
      written += m.frameCount();
      metaDropped += m.framesDropped(); // final counts, including anything dropped while stopping
      bytes += m.fileSizeBytes();
      recordedSeconds += m.durationSeconds();
    }
    dropped = Math.max(dropped, metaDropped);
    for (int i = 0; i < n; i++) {
      expected += Math.round((stopRequested - firstWrite[i]) / 1e9 * options.fps());
    }
    double minutesPerSession = recordedSeconds / Math.max(1, done.size()) / 60.0;
    double cpuTotal = (cpu1 - cpu0) / 1e9;
    long steadyStart = cpuSteadyStart.get() < 0 ? cpu0 : cpuSteadyStart.get();
    double steadyWall = (wallFeedEnd - (t0 + 2_000_000_000L)) / 1e9;
    double cpuSteadyPerMin = (cpuFeedEnd - steadyStart) / 1e9 / n / (steadyWall / 60.0);
    int cores = Runtime.getRuntime().availableProcessors();
    double load = cpuTotal / ((wall1 - t0) / 1e9) / cores;
    double others = busy0 < 0 || busy1 < 0
        ? Double.NaN
        : Math.max(0, ((busy1 - busy0) - (cpu1 - cpu0)) / 1e9 / ((wall1 - t0) / 1e9) / cores);
    Arrays.sort(stopSeconds);
    double lateP99 = Percentiles.of(lateness).millis(0.99);
    KeepUp verdict = new KeepUp()
        .dropped(dropped)
        .failed(failed)
        .maxQueued(maxQueued.get())
        .slowestStop(stopSeconds[n - 1]);

    Path psnrFile = null;
    int[] slots = new int[0];
    if (psnr && !done.isEmpty() && done.get(0).status() == RecordingStatus.COMPLETED) {
      Files.createDirectories(out.resolve("psnr"));
      psnrFile = out.resolve("psnr").resolve("n" + n + ".mp4");
      Files.copy(
          dir.resolve("storage").resolve(done.get(0).filepath()),
          psnrFile,
          StandardCopyOption.REPLACE_EXISTING);
      slots = timelines[0].slotSources(options.fps(), stopRequested - firstWrite[0]);
    }
    Level level = new Level(
        n,
        minutesPerSession * 60,
        cpuTotal / n / minutesPerSession,
        cpuSteadyPerMin,
        load,
        verdict.keptUp(),
        verdict.why(),
        dropped,
        rejected,
        maxQueued.get(),
        written,
        expected,
        stopSeconds[n / 2],
        stopSeconds[n - 1],
        lateP99,
        (heapMid.get() - heap0) / (double) n / (1 << 20),
        (rssMid.get() - rss0) / (double) n / (1 << 20),
        bytes / (double) n / (1 << 20) / minutesPerSession,
        bytes * 8.0 / 1000 / recordedSeconds,
        failed,
        psnrFile,
        slots,
        corpusOffset[0],
        others,
        maxQueuedAt.get() / 1e9,
        100.0 * backlogSamples.get() / Math.max(1, samples.get()));
    deleteTree(dir);
    return level;
  }

  /** Session {@code i}'s snapshot timeline at level {@code n}: its own seed, so no two sessions stall together. */
  static SnapshotTimeline timeline(int n, int i, Duration duration) {
    return SnapshotTimeline.webcam(1000L * n + i, duration);
  }

  /** Where in the corpus session {@code i} starts, so sessions do not send identical frames in step. */
  static int corpusOffset(int i, int corpusSize) {
    return (37 * i) % corpusSize;
  }

  private void say(String line) {
    System.out.println(line);
    report.println(line);
  }

  /** CPUs, JVM, this JVM's max heap and the load average: what a reader needs to weigh the figures. */
  static String machine() {
    return String.format(
        Locale.ROOT,
        "machine: %d CPUs (%s), %s %s, max heap %d MB; %s",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        loadAverage());
  }

  static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static String loadAverage() {
    try {
      return "load average at start "
          + Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "load average unknown";
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
