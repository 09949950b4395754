package dev.snapreel.benchmarks.jmh;

import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.opencv.OpenCvSinks;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.PreparedFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Turning one JPEG snapshot into an encoder-ready frame, per available path: the FFmpeg sink's
 * {@code prepare} (libavcodec mjpeg decode + one swscale pass to a 1280x720 yuv420p frame,
 * letterboxed: colour conversion only for 720p input, downscale for 1080p, upscale for 480p), the
 * OpenCV sink's {@code prepare} ({@code imdecode} to BGR + {@code resize} onto a 1280x720 canvas;
 * its conversion to yuv420p happens in VideoWriter on every write, so it is in the encode figures)
 * and the JDK's ImageIO decode to a BufferedImage (decode only, no scaling or colour conversion,
 * for reference).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class DecodeBenchmark {
  @Param({"640x480", "1280x720", "1920x1080"})
  public String input;

  /** The recording's frame size the sink converts to. */
  @Param({"1280x720"})
  public String output;

  private List<byte[]> jpegs;
  private Snapshot[] snapshots;
  private EncodingSession session;
  private EncodingSession opencv;
  private Path dir;
  private int next;
  private CpuLog cpu;

  @Setup(Level.Trial)
  public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) throws IOException {
    jpegs = Corpora.webcam(input);
    snapshots = jpegs.stream().map(Snapshot::encoded).toArray(Snapshot[]::new);
    Resolution out = Resolution.parse(output);
    dir = Files.createTempDirectory("snapreel-jmh-decode");
    session = FfmpegSinks.h264()
        .open(
            new EncodingSpec("h264", out.width(), out.height(), 30, 95, 2.0),
            dir.resolve("unused.mp4"));
    // prepare does not depend on the writer's codec: Motion-JPEG in AVI is the writer every OpenCV
    // build has, so this runs without the FFmpeg videoio plugin.
    opencv = OpenCvSinks.motionJpegSession(
        new EncodingSpec("mjpeg", out.width(), out.height(), 30, 95, 2.0),
        dir.resolve("unused.avi"));
    cpu = new CpuLog(params.getBenchmark(), "input=" + input + ",output=" + output);
  }

  @Setup(Level.Iteration)
  public void beginIteration() {
    cpu.begin();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    cpu.end();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    session.close();
    opencv.close();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public int ffmpegPrepare() {
    Snapshot snapshot = snapshots[next++ % snapshots.length];
    cpu.count();
    try (PreparedFrame frame = session.prepare(snapshot)) {
      return frame.hashCode();
    }
  }

  @Benchmark
  public int opencvPrepare() {
    Snapshot snapshot = snapshots[next++ % snapshots.length];
    cpu.count();
    try (PreparedFrame frame = opencv.prepare(snapshot)) {
      return frame.hashCode();
    }
  }

  @Benchmark
  public BufferedImage imageIoDecode() throws IOException {
    byte[] jpeg = jpegs.get(next++ % jpegs.size());
    cpu.count();
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }
}
