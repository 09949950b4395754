package dev.snapreel.benchmarks.jmh;

import dev.snapreel.EncoderException;
import dev.snapreel.sink.EncodingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the whole JMH suite with the default (short) settings, leaving out codecs this build lacks,
 * and prints a Markdown table: wall and CPU time per operation (see {@link CpuLog}) and, for the
 * encoders, CPU seconds per recorded minute for a 5 FPS source recorded at 30 FPS, both derived,
 * {@code (unique x 5 + duplicate x 25) x 60}, and measured on the real one-new-five-repeats
 * sequence, {@code pattern x 5 x 60}, each plus the prepare (decode + convert) cost of the 5
 * snapshots per second.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.snapreel.benchmarks.jmh.StageReport [--codecs
 * h264,mpeg4,libx264:veryfast,libx264:ultrafast,opencv-mp4v,opencv-h264] [--encode-resolutions
 * 1280x720] [--scenes webcam,noisy]}. The {@code opencv-*} codecs need {@code
 * OPENCV_VIDEOIO_PLUGIN_PATH} (see {@link EncodeBenchmark}); each sink's rows use its own prepare
 * benchmark.
 */
public final class StageReport {
  private StageReport() {}

  public static void main(String[] args) throws RunnerException, IOException {
    List<String> codecs = new ArrayList<>(List.of(
        "h264", "mpeg4", "libx264:veryfast", "libx264:ultrafast", "opencv-mp4v", "opencv-h264"));
    List<String> resolutions = List.of("1280x720");
    List<String> scenes = List.of("webcam");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--codecs" -> codecs = new ArrayList<>(Arrays.asList(args[++i].split(",")));
        case "--encode-resolutions" -> resolutions = Arrays.asList(args[++i].split(","));
        case "--scenes" -> scenes = Arrays.asList(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<String> available = new ArrayList<>();
    for (String codec : codecs) {
      try {
        EncodeBenchmark.sinkFor(codec)
            .validate(new EncodingSpec(EncodeBenchmark.codecName(codec), 1280, 720, 30, 95, 2));
        available.add(codec);
      } catch (EncoderException e) {
        System.out.println("NOTE: skipping codec " + codec + ": " + e.getMessage());
      }
    }

    Path cpuLog = CpuLog.file().toAbsolutePath();
    Files.deleteIfExists(cpuLog);
    Path corpusRoot =
        dev.snapreel.benchmarks.corpus.WebcamCorpus.defaultCacheRoot().toAbsolutePath();
    for (String r : List.of("640x480", "1280x720", "1920x1080")) {
      Corpora.webcam(r); // generate outside the forks
    }
    for (String r : resolutions) {
      for (String scene : scenes) {
        Corpora.of(r, scene);
      }
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(DecodeBenchmark.class.getName())
        .include(PacerBenchmark.class.getName())
        .include(EncodeBenchmark.class.getName())
        .param("codec", available.toArray(String[]::new))
        .param("resolution", resolutions.toArray(String[]::new))
        .param("scene", scenes.toArray(String[]::new))
        .jvmArgsAppend("-Dsnapreel.jmh.cpuLog=" + cpuLog, "-Dsnapreel.corpus.dir=" + corpusRoot);
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Double> cpu = cpuPerOp(cpuLog, 3);

    System.out.println();
    System.out.println(
        "| benchmark | params | wall time/op | CPU/op (benchmark thread; whole fork for opencv-*) |");
    System.out.println("|---|---|---:|---:|");
    Map<String, Double> cpuByKey = new LinkedHashMap<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String params = paramsOf(r);
      Double cpuNanos = cpu.get(bench + "\t" + params);
      String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.4g ± %.2g %s | %s |%n",
          shortName,
          params.isEmpty() ? "-" : params,
          r.getPrimaryResult().getScore(),
          r.getPrimaryResult().getScoreError(),
          r.getPrimaryResult().getScoreUnit(),
          cpuNanos == null ? "n/a" : inUnit(cpuNanos, r.getPrimaryResult().getScoreUnit()));
      if (cpuNanos != null) {
        cpuByKey.put(shortName + "|" + params, cpuNanos);
      }
    }

    System.out.println();
    System.out.println(
        "CPU seconds per recorded minute, 5 FPS JPEG source at 30 FPS (derived: unique x 5 + duplicate x 25, measured: 1+5 pattern x 5; each + prepare x 5, per second, x 60):");
    System.out.println(
        "| codec | resolution | scene | unique ms | duplicate ms | dup/unique | prepare ms (webcam JPEG of that size → 720p) | CPU s / recorded min (from unique, duplicate) | CPU s / recorded min (1+5 pattern) |");
    System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
    for (String codec : available) {
      for (String res : resolutions) {
        for (String scene : scenes) {
          String p = "codec=" + codec + ",resolution=" + res + ",scene=" + scene;
          Double unique = cpuByKey.get("EncodeBenchmark.uniqueFrame|" + p);
          Double dup = cpuByKey.get("EncodeBenchmark.duplicateFrame|" + p);
          Double pattern = cpuByKey.get("EncodeBenchmark.fiveFpsPattern|" + p);
          String prepareBenchmark = codec.startsWith("opencv-") ? "opencvPrepare" : "ffmpegPrepare";
          Double prepare = cpuByKey.get(
              "DecodeBenchmark." + prepareBenchmark + "|input=" + res + ",output=1280x720");
          if (unique == null || dup == null) {
            continue;
          }
          double prep = prepare == null ? 0 : prepare;
          double perMinute = (unique * 5 + dup * 25 + prep * 5) * 60 / 1e9;
          String measured = pattern == null
              ? "n/a"
              : String.format(Locale.ROOT, "%.2f", (pattern * 5 + prep * 5) * 60 / 1e9);
          System.out.printf(
              Locale.ROOT,
              "| %s | %s | %s | %.3f | %.3f | %.1f%% | %.3f | %.2f | %s |%n",
              codec,
              res,
              scene,
              unique / 1e6,
              dup / 1e6,
              100 * dup / unique,
              prep / 1e6,
              perMinute,
              measured);
        }
      }
    }
  }

  /** CPU nanoseconds in the unit JMH used for the wall time, so the two columns compare directly. */
  private static String inUnit(double nanos, String scoreUnit) {
    String unit = scoreUnit.replace("/op", "");
    double divisor =
        switch (unit) {
          case "ns" -> 1;
          case "us" -> 1e3;
          case "ms" -> 1e6;
          default -> 1e9;
        };
    return String.format(Locale.ROOT, "%.4g %s", nanos / divisor, divisor == 1e9 ? "s" : unit);
  }

  private static String paramsOf(RunResult r) {
    List<String> parts = new ArrayList<>();
    for (String key : r.getParams().getParamsKeys()) {
      parts.add(key + "=" + r.getParams().getParam(key));
    }
    return String.join(",", parts);
  }

  /** Median thread-CPU nanoseconds per op over the last {@code measured} iterations of each run. */
  static Map<String, Double> cpuPerOp(Path log, int measured) throws IOException {
    Map<String, List<Double>> perKey = new LinkedHashMap<>();
    if (!Files.exists(log)) {
      return Map.of();
    }
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split("\t", -1);
      if (f.length != 4) {
        continue;
      }
      perKey
          .computeIfAbsent(f[0] + "\t" + f[1], k -> new ArrayList<>())
          .add(Double.parseDouble(f[3]) / Long.parseLong(f[2]));
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    perKey.forEach((key, values) -> {
      List<Double> last =
          new ArrayList<>(values.subList(Math.max(0, values.size() - measured), values.size()));
      last.sort(null);
      medians.put(key, last.get(last.size() / 2));
    });
    return medians;
  }
}
