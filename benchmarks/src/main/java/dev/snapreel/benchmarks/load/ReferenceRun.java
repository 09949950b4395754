package dev.snapreel.benchmarks.load;

import static java.util.Objects.requireNonNull;

import dev.snapreel.Snapshot;
import dev.snapreel.benchmarks.corpus.WebcamCorpus;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same corpus encoded offline, as fast as possible, by our encode path and by the ffmpeg command
 * line with identical encoder settings, so the CPU ratio is measured side by side on one machine in
 * one run. Each input frame is shown for {@code fps / 5} output slots on both sides ({@code
 * -framerate 5 -i frame_%05d.jpg -vf fps=30}).
 */
public final class ReferenceRun {
  /** One encode of the corpus. */
  public record Result(
      String label,
      String command,
      double cpuSeconds,
      double wallSeconds,
      long outputFrames,
      long fileBytes,
      Psnr.Result psnr) {
    public double cpuPerRecordedMinute(double fps) {
      return cpuSeconds / (outputFrames / fps / 60.0);
    }
  }

  private static final Pattern BENCH =
      Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");

  private final Path corpusDir;
  private final List<byte[]> frames;
  private final EncodingSpec spec;
  private final Path outDir;

  public ReferenceRun(Path corpusDir, List<byte[]> frames, EncodingSpec spec, Path outDir) {
    this.corpusDir = requireNonNull(corpusDir);
    this.frames = requireNonNull(frames);
    this.spec = requireNonNull(spec);
    this.outDir = requireNonNull(outDir);
  }

  int slotsPerFrame() {
    return (int) Math.round(spec.fps() / WebcamCorpus.SNAPSHOT_FPS);
  }

  /** Our sink, one thread: prepare each JPEG once, write it for one unique and N-1 duplicate slots. */
  public Result ours(String label, FrameSink sink) throws IOException {
    Files.createDirectories(outDir);
    Path partial = outDir.resolve(label + ".partial.mp4");
    Path target = outDir.resolve(label + ".mp4");
    Files.deleteIfExists(partial);
    Files.deleteIfExists(target);
    int repeat = slotsPerFrame();
    long cpu0 = ProcessMetrics.cpuNanos();
    long wall0 = System.nanoTime();
    long written;
    try (EncodingSession session = sink.open(spec, partial)) {
      for (byte[] jpeg : frames) {
        try (PreparedFrame frame = session.prepare(Snapshot.encoded(jpeg))) {
          for (int i = 0; i < repeat; i++) {
            session.write(frame, i > 0);
          }
        }
      }
      written = session.finish(target);
    }
    double cpu = (ProcessMetrics.cpuNanos() - cpu0) / 1e9;
    double wall = (System.nanoTime() - wall0) / 1e9;
    Files.deleteIfExists(partial);
    return new Result(
        label,
        "FrameSink " + sink.name() + " codec " + spec.codec(),
        cpu,
        wall,
        written,
        Files.size(target),
        psnr(target));
  }

  /** The ffmpeg program at {@code ffmpeg} with {@code encoderArgs} after the common input and filter. */
  public Result cli(String label, String ffmpeg, List<String> encoderArgs)
      throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    Path target = outDir.resolve(label + ".mp4");
    List<String> cmd = new ArrayList<>(List.of(
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-benchmark",
        "-y",
        "-framerate",
        fmt(WebcamCorpus.SNAPSHOT_FPS),
        "-i",
        corpusDir.resolve("frame_%05d.jpg").toString(),
        "-vf",
        "fps=" + fmt(spec.fps())));
    cmd.addAll(encoderArgs);
    cmd.addAll(List.of("-pix_fmt", "yuv420p", "-movflags", "+faststart", target.toString()));
    Path log = outDir.resolve(label + ".log");
    long wall0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    int rc = p.waitFor();
    double wall = (System.nanoTime() - wall0) / 1e9;
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (rc != 0) {
      throw new IllegalStateException(label + ": ffmpeg exited " + rc + ":\n" + output);
    }
    Matcher m = BENCH.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException(label + ": no -benchmark line in ffmpeg output:\n" + output);
    }
    double cpu = Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
    Psnr.Result psnr = psnr(target);
    String shown = String.join(" ", cmd)
        .replace(corpusDir.toString(), "<corpus>")
        .replace(outDir.toString(), "<out>");
    return new Result(label, shown, cpu, wall, countFrames(target), Files.size(target), psnr);
  }

  private Psnr.Result psnr(Path video) {
    int repeat = slotsPerFrame();
    return Psnr.measure(
        video, frames, slot -> Math.min(frames.size() - 1, slot / repeat), frames.size() * repeat);
  }

  private static long countFrames(Path video) {
    try (org.bytedeco.javacv.FFmpegFrameGrabber g =
        new org.bytedeco.javacv.FFmpegFrameGrabber(video.toFile())) {
      g.start();
      long n = 0;
      while (g.grabImage() != null) {
        n++;
      }
      return n;
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
