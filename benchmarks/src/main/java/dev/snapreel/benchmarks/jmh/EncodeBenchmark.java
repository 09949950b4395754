package dev.snapreel.benchmarks.jmh;

import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.ffmpeg.FfmpegSink;
import dev.snapreel.opencv.OpenCvSinks;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One output slot through the real {@link FrameSink} SPI (the FFmpeg sink, fragmented MP4 to a temp
 * file, encoder threads = 1 as in production; or the OpenCV sink, codecs {@code opencv-mp4v} and
 * {@code opencv-h264}, a plain MP4 through VideoWriter): a <em>unique</em> frame (each slot a different
 * prepared corpus frame, 200 ms of content apart) versus a <em>duplicate</em> (the same prepared
 * frame again, as the pacer writes it for the 5 of 6 slots a 5 FPS source leaves empty at 30 FPS).
 * Keyframes every 60 frames (2 s), quality 95, as the recording service uses them. {@link
 * #fiveFpsPattern} measures the real 1 + 5 sequence.
 *
 * <p>Codec {@code libx264:<preset>} needs the GPL natives ({@code -Pgpl}), and the {@code opencv-*}
 * codecs OpenCV's FFmpeg videoio plugin on {@code OPENCV_VIDEOIO_PLUGIN_PATH} (built by {@code mvn
 * -pl recording-opencv -am verify} into {@code recording-opencv/target/opencv-videoio-plugin}); without
 * them the setup fails with the sink's EncoderException, JMH reports that parameter as failed and
 * goes on. {@link StageReport} leaves unavailable codecs out up front.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class EncodeBenchmark {
  @Param({"h264", "mpeg4", "libx264:veryfast", "libx264:ultrafast", "opencv-mp4v", "opencv-h264"})
  public String codec;

  @Param({"1280x720"})
  public String resolution;

  /** {@code webcam}, or {@code noisy}: heavy sensor noise, the encoder's worst case. */
  @Param({"webcam"})
  public String scene;

  private PreparedFrame[] frames;
  private EncodingSession session;
  private Path dir;
  private int next;
  private CpuLog cpu;

  private static final String OPENCV = "opencv-";

  /**
   * {@code codec}, {@code codec:x264preset} or {@code opencv-codec} to a sink and the codec name the
   * spec asks for.
   */
  static FrameSink sinkFor(String codecParam) {
    if (codecParam.startsWith(OPENCV)) {
      return OpenCvSinks.videoWriter();
    }
    int colon = codecParam.indexOf(':');
    FfmpegSink.Builder builder = FfmpegSink.builder();
    if (colon > 0) {
      builder.x264Preset(codecParam.substring(colon + 1));
    }
    return builder.build();
  }

  static String codecName(String codecParam) {
    if (codecParam.startsWith(OPENCV)) {
      return codecParam.substring(OPENCV.length());
    }
    int colon = codecParam.indexOf(':');
    return (colon > 0 ? codecParam.substring(0, colon) : codecParam).toLowerCase(Locale.ROOT);
  }

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException {
    Resolution r = Resolution.parse(resolution);
    EncodingSpec spec = new EncodingSpec(codecName(codec), r.width(), r.height(), 30, 95, 2.0);
    FrameSink sink = sinkFor(codec);
    sink.validate(spec); // EncoderException when this build lacks the codec (libx264 without -Pgpl)
    dir = Files.createTempDirectory("snapreel-jmh-encode");
    session = sink.open(spec, dir.resolve("out.mp4"));
    List<byte[]> jpegs = Corpora.of(resolution, scene);
    frames = new PreparedFrame[jpegs.size()];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = session.prepare(Snapshot.encoded(jpegs.get(i)));
    }
    session.write(frames[0], false); // so that "duplicate" really repeats the previous slot
    // VideoWriter's libx264 encodes on threads of its own: count the whole fork for the OpenCV
    // sink.
    cpu = new CpuLog(
        params.getBenchmark(),
        "codec=" + codec + ",resolution=" + resolution + ",scene=" + scene,
        codec.startsWith(OPENCV));
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
    if (frames != null) {
      for (PreparedFrame f : frames) {
        if (f != null) {
          f.close();
        }
      }
    }
    if (session != null) {
      session.close(); // abandons the output: the file is not what is measured
    }
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  @Benchmark
  public void uniqueFrame() {
    next++;
    cpu.count();
    session.write(frames[next % frames.length], false);
  }

  @Benchmark
  public void duplicateFrame() {
    cpu.count();
    session.write(frames[0], true);
  }

  /**
   * What a 5 FPS source really produces at 30 FPS: one new frame followed by five duplicates (one
   * operation = six output slots = 200 ms of video). Unlike {@link #duplicateFrame}, whose frames
   * repeat a long-converged picture, the duplicates here follow a fresh frame, and on noisy content
   * the encoder keeps refining the previous reconstruction for several of them.
   */
  @Benchmark
  public void fiveFpsPattern() {
    next++;
    cpu.count();
    PreparedFrame frame = frames[next % frames.length];
    session.write(frame, false);
    for (int i = 0; i < 5; i++) {
      session.write(frame, true);
    }
  }
}
