package dev.snapreel.benchmarks.quality;

import dev.snapreel.Resolution;
import dev.snapreel.benchmarks.corpus.CameraFootage;
import dev.snapreel.benchmarks.corpus.WebcamCorpus;
import dev.snapreel.benchmarks.load.ReferenceRun;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.ffmpeg.internal.FfmpegCodecs;
import dev.snapreel.ffmpeg.internal.FfmpegEncodingSession;
import dev.snapreel.ffmpeg.internal.RateControl;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.jspecify.annotations.Nullable;

/**
 * For each corpus x resolution x codec x quality: bit rate, PSNR-Y, SSIM-Y (and RGB PSNR) of the
 * recording against the source snapshots, and CPU seconds per recorded minute, through the FFmpeg
 * sink's real {@link EncodingSession} (each 5 FPS snapshot prepared once and written for one unique
 * and five duplicate 30 FPS slots: the pacer's mapping for a regular 5 FPS client). At the default
 * quality the references run in the same process on the same JPEG files: Debian's ffmpeg CLI with
 * {@code libx264 -preset veryfast -vf fps=30}, its CRF searched until its PSNR-Y is within 0.5 dB of
 * ours; and the specification's design (each snapshot encoded 6 times as MPEG-4 Part 2, as OpenCV's
 * {@code VideoWriter} mp4v does) as the bundled ffmpeg CLI's {@code mpeg4 -vf fps=30}, its qscale
 * searched the same way. CPU is process user+system time (ours: this JVM's, after a warm-up encode;
 * CLI: {@code -benchmark}).
 *
 * <p>{@code java -cp benchmarks.jar dev.snapreel.benchmarks.quality.QualityReport [--corpora
 * camera,webcam,noisy] [--resolutions 640x480,1280x720] [--codecs h264,av1,mpeg4] [--qualities
 * 50,80,95,100] [--frames 150] [--reference-quality 95] [--reference-codec h264] [--no-references] [--max-bitrate 800k] [--variants
 * name:key=value/key=value,...] [--out dir]}. {@code --variants} adds h264 rows with libopenh264
 * options overriding the sink's (e.g. {@code fixed26:qmin=26/qmax=26}), to compare rate-control modes.
 */
public final class QualityReport {
  private static final double FPS = 30;
  private static final double MATCH_DB = 0.5;

  private List<String> corpora = List.of("camera", "webcam", "noisy");
  private List<String> resolutions = List.of("640x480", "1280x720");
  private List<String> codecs = List.of("h264", "mpeg4");
  private List<Integer> qualities = List.of(50, 80, 95, 100);
  private int frames = 150;
  private int referenceQuality = 95;
  private String referenceCodec = "h264";
  private boolean references = true;
  private long maxBitrate;
  private final Map<String, Map<String, String>> variants = new LinkedHashMap<>();
  private Path out = WebcamCorpus.targetDirectory().resolve("quality");
  private final StringBuilder report = new StringBuilder();

  public static void main(String[] args) throws Exception {
    QualityReport r = new QualityReport();
    r.parse(args);
    r.run();
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--corpora" -> corpora = List.of(args[++i].split(","));
        case "--resolutions" -> resolutions = List.of(args[++i].split(","));
        case "--codecs" -> codecs = List.of(args[++i].split(","));
        case "--qualities" ->
          qualities = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--frames" -> frames = Integer.parseInt(args[++i]);
        case "--reference-quality" -> referenceQuality = Integer.parseInt(args[++i]);
        case "--reference-codec" -> referenceCodec = args[++i];
        case "--no-references" -> references = false;
        case "--max-bitrate" ->
          maxBitrate = dev.snapreel.RecordingOptions.fromEnvironment(
                  java.util.Map.of("RECORDING_MAX_BITRATE", args[++i]))
              .maxBitrate();
        case "--out" -> out = Path.of(args[++i]);
        case "--variants" -> {
          for (String v : args[++i].split(",", -1)) {
            String[] nameAndOptions = v.split(":", 2);
            Map<String, String> options = new LinkedHashMap<>();
            if (nameAndOptions.length > 1) {
              for (String kv : nameAndOptions[1].split("/", -1)) {
                String[] p = kv.split("=", 2);
                options.put(p[0], p[1]);
              }
            }
            variants.put(nameAndOptions[0], options);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    say("# Quality report");
    say("");
    say(String.format(
        Locale.ROOT,
        "%d snapshots per corpus (%.0f s at 5 FPS) → %.0f FPS; %s; load average at start %.2f on %d CPUs.",
        frames,
        frames / WebcamCorpus.SNAPSHOT_FPS,
        FPS,
        ManagementFactory.getRuntimeMXBean().getVmVersion(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors()));
    say("");
    say(
        "| corpus | size | codec | quality | setting | kbit/s | PSNR-Y dB | SSIM-Y | PSNR RGB mean / min | CPU s / rec. min | KB |");
    say("|---|---|---|---:|---|---:|---:|---:|---|---:|---:|");
    List<String> matched = new ArrayList<>();
    for (String corpus : corpora) {
      for (String res : resolutions) {
        Resolution r = Resolution.parse(res);
        Path dir = corpusDir(corpus, r);
        List<byte[]> snapshots = load(dir);
        warmUp(dir, snapshots, r);
        ReferenceRun.Result reference = null;
        for (String codec : codecs) {
          if (!FfmpegCodecs.available(FfmpegCodecs.resolve(codec).encoder())) {
            continue;
          }
          for (int q : qualities) {
            EncodingSpec spec =
                new EncodingSpec(codec, r.width(), r.height(), FPS, q, 2.0, maxBitrate);
            ReferenceRun.Result result =
                run(dir, snapshots, spec).ours(codec + "-q" + q, FfmpegSinks.h264());
            row(
                corpus,
                res,
                codec,
                q,
                setting(codec, q) + (maxBitrate > 0 ? ", cap " + maxBitrate / 1000 + "k" : ""),
                result);
            if (codec.equals(referenceCodec) && q == referenceQuality) {
              reference = result;
            }
          }
        }
        for (Map.Entry<String, Map<String, String>> v : variants.entrySet()) {
          EncodingSpec spec =
              new EncodingSpec("h264", r.width(), r.height(), FPS, referenceQuality, 2.0);
          ReferenceRun.Result result =
              run(dir, snapshots, spec).ours("variant-" + v.getKey(), new Variant(v.getValue()));
          row(corpus, res, "h264 " + v.getKey(), referenceQuality, v.getValue().toString(), result);
        }
        if (references && reference != null) {
          matched.addAll(references(corpus, res, dir, snapshots, r, reference));
        }
      }
    }
    if (!matched.isEmpty()) {
      say("");
      say("## References at matched PSNR-Y (within " + MATCH_DB + " dB of ours at quality "
          + referenceQuality + ")");
      say("");
      say(
          "| corpus | size | run | setting | kbit/s | PSNR-Y dB | SSIM-Y | CPU s / rec. min | ours / it: CPU | ours / it: size |");
      say("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
      matched.forEach(this::say);
    }
    Files.writeString(out.resolve("quality.md"), report.toString(), StandardCharsets.UTF_8);
    System.out.println("written to " + out.resolve("quality.md"));
  }

  private Path corpusDir(String corpus, Resolution r) {
    Path root = WebcamCorpus.defaultCacheRoot();
    return switch (corpus) {
      case "camera" ->
        new CameraFootage(CameraFootage.VTEST, r.width(), r.height(), frames).writeTo(root);
      case "webcam", "noisy" ->
        WebcamCorpus.builder()
            .size(r.width(), r.height())
            .frames(frames)
            .scene(WebcamCorpus.Scene.valueOf(corpus.toUpperCase(Locale.ROOT)))
            .build()
            .writeTo(root);
      default ->
        throw new IllegalArgumentException("corpus is camera, webcam or noisy, not " + corpus);
    };
  }

  private List<byte[]> load(Path dir) throws IOException {
    List<byte[]> list = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      list.add(Files.readAllBytes(dir.resolve(WebcamCorpus.frameFileName(i))));
    }
    return list;
  }

  private ReferenceRun run(Path dir, List<byte[]> snapshots, EncodingSpec spec) {
    return new ReferenceRun(dir, snapshots, spec, out.resolve("runs"));
  }

  private void warmUp(Path dir, List<byte[]> snapshots, Resolution r) throws IOException {
    run(
            dir,
            snapshots.subList(0, Math.min(30, snapshots.size())),
            new EncodingSpec("h264", r.width(), r.height(), FPS, referenceQuality, 2.0))
        .ours("warmup", FfmpegSinks.h264());
  }

  private static String setting(String codec, int q) {
    String encoder = FfmpegCodecs.resolve(codec).encoder();
    return switch (encoder) {
      case "libopenh264" -> "QP " + RateControl.openh264Qp(q);
      case "libx264" -> "CRF " + RateControl.x264Crf(q);
      case "mpeg4" -> "qscale " + RateControl.mpeg4Qscale(q);
      case "libsvtav1" ->
        "CRF " + RateControl.svtav1Crf(q) + ", preset " + RateControl.SVTAV1_PRESET;
      default -> "";
    };
  }

  private void row(
      String corpus, String res, String codec, int q, String setting, ReferenceRun.Result r) {
    say(String.format(
        Locale.ROOT,
        "| %s | %s | %s | %d | %s | %.0f | %.2f | %.4f | %.2f / %.2f | %.2f | %d |",
        corpus,
        res,
        codec,
        q,
        setting,
        kbps(r),
        r.psnr().yDb(),
        r.psnr().ssim(),
        r.psnr().meanDb(),
        r.psnr().minDb(),
        r.cpuPerRecordedMinute(FPS),
        r.fileBytes() / 1024));
  }

  private static double kbps(ReferenceRun.Result r) {
    return r.fileBytes() * 8.0 / (r.outputFrames() / FPS) / 1000;
  }

  private List<String> references(
      String corpus,
      String res,
      Path dir,
      List<byte[]> snapshots,
      Resolution r,
      ReferenceRun.Result ours)
      throws Exception {
    List<String> rows = new ArrayList<>();
    EncodingSpec spec = new EncodingSpec("h264", r.width(), r.height(), FPS, referenceQuality, 2.0);
    ReferenceRun run = run(dir, snapshots, spec);
    double target = ours.psnr().yDb();
    rows.add(matchedRow(
        corpus,
        res,
        "ours, " + referenceCodec + " (" + FfmpegCodecs.resolve(referenceCodec).encoder() + ")",
        setting(referenceCodec, referenceQuality),
        ours,
        ours));
    Path system = Path.of("/usr/bin/ffmpeg");
    if (Files.isExecutable(system)) {
      Search x264 = search(
          target,
          5,
          45,
          false,
          value -> run.cli(
              "x264-crf" + fmt(value),
              system.toString(),
              List.of(
                  "-c:v",
                  "libx264",
                  "-preset",
                  "veryfast",
                  "-crf",
                  fmt(value),
                  "-g",
                  "60",
                  "-threads",
                  "1")));
      rows.add(matchedRow(
          corpus,
          res,
          "ffmpeg CLI libx264 veryfast (Debian 5.1)",
          "crf " + fmt(x264.value),
          x264.result,
          ours));
    } else {
      rows.add(
          "| " + corpus + " | " + res
              + " | ffmpeg CLI libx264: /usr/bin/ffmpeg missing (apt-get install ffmpeg) | | | | | | | |");
    }
    String bundled = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    Search mpeg4 = search(
        target,
        2,
        31,
        true,
        value -> run.cli(
            "mpeg4-q" + fmt(value),
            bundled,
            List.of("-c:v", "mpeg4", "-q:v", fmt(value), "-g", "60", "-threads", "1")));
    rows.add(matchedRow(
        corpus,
        res,
        "spec's design: each snapshot encoded 6x, mpeg4 (bundled ffmpeg 8 CLI)",
        "qscale " + fmt(mpeg4.value),
        mpeg4.result,
        ours));
    return rows;
  }

  private String matchedRow(
      String corpus,
      String res,
      String label,
      String setting,
      ReferenceRun.Result r,
      ReferenceRun.Result ours) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %.0f | %.2f | %.4f | %.2f | %.2fx | %.2fx |",
        corpus,
        res,
        label,
        setting,
        kbps(r),
        r.psnr().yDb(),
        r.psnr().ssim(),
        r.cpuPerRecordedMinute(FPS),
        ours.cpuPerRecordedMinute(FPS) / r.cpuPerRecordedMinute(FPS),
        (double) ours.fileBytes() / r.fileBytes());
  }

  private interface Encode {
    ReferenceRun.Result at(double value) throws Exception;
  }

  private record Search(double value, ReferenceRun.Result result) {}

  /**
   * The setting (CRF or qscale: PSNR falls as it rises) whose PSNR-Y is within {@link #MATCH_DB} of
   * {@code target}: bisection with secant steps, at most 8 encodes; integers only for qscale.
   */
  private static Search search(double target, double lo, double hi, boolean integer, Encode encode)
      throws Exception {
    double value = integer ? Math.round((lo + hi) / 4) : 23;
    @Nullable Search best = null;
    @Nullable Double loDb = null;
    @Nullable Double hiDb = null;
    for (int i = 0; i < 8; i++) {
      ReferenceRun.Result r = encode.at(value);
      double db = r.psnr().yDb();
      System.out.printf(
          Locale.ROOT, "  search %s -> %.2f dB (target %.2f)%n", fmt(value), db, target);
      if (best == null || Math.abs(db - target) < Math.abs(best.result.psnr().yDb() - target)) {
        best = new Search(value, r);
      }
      if (Math.abs(db - target) <= MATCH_DB / 2 || (integer && Math.abs(db - target) <= MATCH_DB)) {
        return new Search(value, r);
      }
      if (db > target) {
        lo = value;
        loDb = db;
      } else {
        hi = value;
        hiDb = db;
      }
      double next = loDb != null && hiDb != null
          ? lo + (hi - lo) * (loDb - target) / (loDb - hiDb)
          : db > target ? value + (db - target) / 0.5 : value - (target - db) / 0.5;
      next = Math.max(lo, Math.min(hi, next));
      if (integer) {
        next = Math.round(next);
        if (next == value) {
          next = db > target ? value + 1 : value - 1;
        }
        if ((next <= lo && loDb != null) || (next >= hi && hiDb != null)) {
          break; // neighbours bracket the target: no integer is closer
        }
      } else {
        next = Math.round(next * 10) / 10.0;
      }
      value = next;
    }
    if (best == null) {
      throw new IllegalStateException("the search ran no encode");
    }
    return best;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private void say(String line) {
    System.out.println(line);
    report.append(line).append('\n');
  }

  /** The FFmpeg sink's libopenh264 session with some options overridden. */
  private record Variant(Map<String, String> options) implements FrameSink {
    @Override
    public String name() {
      return "ffmpeg-variant";
    }

    @Override
    public String validate(EncodingSpec spec) {
      return "h264";
    }

    @Override
    public EncodingSession open(EncodingSpec spec, Path output) {
      Map<String, String> o = new LinkedHashMap<>(options);
      o.putIfAbsent("profile", "high");
      o.put("allow_skip_frames", "0");
      String fps = o.remove("encoder_fps");
      return new FfmpegEncodingSession(
          spec, output, "libopenh264", o, 1, fps == null ? null : Double.valueOf(fps));
    }
  }
}
