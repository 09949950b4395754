package dev.snapreel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.snapreel.ActiveRecording;
import dev.snapreel.EncoderException;
import dev.snapreel.InvalidFrameException;
import dev.snapreel.PixelFormat;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import dev.snapreel.storage.LocalStorage;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link FrameSink} must show, as one JUnit 5 suite a sink's module runs by
 * extending this class. Recordings go through the real {@link RecordingService} (local storage in a
 * temp directory, a {@link ManualTicker} so frame counts are exact to the frame) and directly
 * through the SPI; every file is decoded back with FFmpeg ({@link VideoProbe}) and, where it
 * matters, its pixels are read to check which snapshot each frame shows.
 *
 * <p>Where sinks differ by design the subclass declares it ({@link #expectsCrashSafe()}, {@link
 * #expectsMoovFirst()}) and the kit asserts the declared behaviour either way; nothing is skipped.
 *
 * <p>Recordings are small (320x240) so the whole suite runs in well under a minute per sink.
 *
 * @since 0.1.0
 */
public abstract class FrameSinkConformanceTest {
  /** Recording size used throughout: small, so the kit is quick. */
  protected static final int WIDTH = 320;

  protected static final int HEIGHT = 240;

  private static final String OWNER = "conformance";

  @TempDir
  protected Path temp;

  private ManualTicker ticker;
  private RecordingService service;
  private LocalStorage storage;

  /** The sink under test; may return the same (stateless, thread-safe) instance every time. */
  protected abstract FrameSink sink();

  /** The codec to ask for, e.g. {@code h264} or {@code mp4v}. */
  protected abstract String codec();

  /** The codec FFmpeg reports when decoding the files back, e.g. {@code h264} or {@code mpeg4}. */
  protected abstract String expectedCodecName();

  /** Whether the sink declares (and must honour) crash safety: a partial file is recoverable. */
  protected abstract boolean expectsCrashSafe();

  /** Whether finished files have {@code moov} before {@code mdat} (progressive playback). */
  protected boolean expectsMoovFirst() {
    return true;
  }

  /** Largest difference between a flat area's decoded level and its source level (lossy codecs). */
  protected int levelTolerance() {
    return 16;
  }

  @BeforeEach
  void openService() {
    ticker = ManualTicker.create();
    storage = LocalStorage.create(temp.resolve("recordings"));
    service = RecordingService.builder()
        .sink(sink())
        .storage(storage)
        .workDirectory(temp.resolve("work"))
        .defaults(options(30))
        // Large enough that no test snapshot is ever dropped for lack of room: counts stay exact.
        .queueCapacity(4096)
        // The suite replays capture times faster than its ticker moves and runs several
        // recordings of one owner: the service's abuse limits are not what it tests.
        .maxCaptureLead(java.time.Duration.ofDays(1))
        .maxUserActiveRecordings(64)
        .idleStop(java.time.Duration.ZERO)
        .ticker(ticker)
        .build();
  }

  @AfterEach
  void closeService() {
    service.close();
  }

  // ---------------------------------------------------------------- through the RecordingService

  @ParameterizedTest(name = "{0} fps")
  @ValueSource(doubles = {15, 30, 60})
  @DisplayName(
      "5 fps snapshots fill a constant frame grid exactly, each slot showing the latest snapshot")
  void regularSnapshotsFillTheGridExactly(double fps) {
    ActiveRecording rec = service.start(OWNER, "regular", options(fps));
    for (int i = 0; i < 10; i++) {
      rec.write(SnapshotImages.gray(WIDTH, HEIGHT, level(i), "#" + i));
      ticker.advanceMillis(200);
    }
    RecordingMetadata m = rec.stop(); // 2.000 s after the first snapshot

    long frames = Math.round(2.0 * fps);
    assertCompleted(m, frames, fps);
    assertThat(m.framesReceived()).isEqualTo(10);
    assertThat(m.framesDuplicated()).isEqualTo(frames - 10);
    assertThat(m.framesDropped()).isZero();
    assertThat(m.framesRejected()).isZero();

    List<Integer> centre = levels(video(m), centre());
    int slotsPerSnapshot = (int) Math.round(0.2 * fps);
    for (int slot = 0; slot < frames; slot++) {
      assertThat(centre.get(slot))
          .as("frame %d shows snapshot %d", slot, slot / slotsPerSnapshot)
          .isCloseTo(level(slot / slotsPerSnapshot), within(levelTolerance()));
    }
  }

  @Test
  @DisplayName("jittery arrivals and a 3 s stall still give one frame per slot up to the stop")
  void irregularInputWithJitterAndStall() throws InterruptedException {
    ActiveRecording rec = service.start(OWNER, "irregular", options(30));
    long[] arrivalsMillis = {0, 140, 410, 590, 830, 1000, 1260, 4260, 4400, 4640};
    long now = 0;
    for (int i = 0; i < arrivalsMillis.length; i++) {
      if (arrivalsMillis[i] - now > 1000) {
        // The stall: time passes with no snapshot; the writer must keep emitting the held frame.
        ticker.advanceMillis(arrivalsMillis[i] - now);
        awaitFramesWritten(rec, 120); // slots before (4260 - 250 ms lag) * 30 fps
      } else {
        ticker.advanceMillis(arrivalsMillis[i] - now);
      }
      now = arrivalsMillis[i];
      rec.write(SnapshotImages.gray(WIDTH, HEIGHT, level(i), "#" + i));
    }
    ticker.advanceMillis(5000 - now);
    RecordingMetadata m = rec.stop();

    assertCompleted(m, 150, 30);
    assertThat(m.framesReceived()).isEqualTo(10);
    assertThat(m.framesDuplicated()).isEqualTo(140);
    assertThat(m.framesDropped()).isZero();

    List<Integer> centre = levels(video(m), centre());
    assertThat(centre.get(100))
        .as("frame during the stall repeats the last snapshot before it")
        .isCloseTo(level(6), within(levelTolerance()));
    assertThat(centre.get(149))
        .as("last frame shows the last snapshot")
        .isCloseTo(level(9), within(levelTolerance()));
  }

  @Test
  @DisplayName(
      "snapshots of other sizes are scaled to fit and letterboxed; the video keeps its size")
  void otherSizesAreLetterboxed() {
    ActiveRecording rec = service.start(OWNER, "sizes", options(30));
    int white = 235;
    byte[][] snapshots = {
      SnapshotImages.grayJpeg(WIDTH, HEIGHT, 100, "native"), // slots 0-5
      SnapshotImages.grayJpeg(1280, 720, white, ""), // 16:9 -> 320x180, bars top and bottom; 6-11
      SnapshotImages.grayJpeg(120, 240, white, ""), // 1:2 -> 120x240, bars left and right; 12-17
      SnapshotImages.grayJpeg(640, 480, 200, ""), // same aspect, downscaled, no bars; 18-23
      SnapshotImages.grayJpeg(161, 97, 60, "odd"), // odd size, upscaled; 24-29
    };
    for (byte[] jpeg : snapshots) {
      rec.writeEncoded(jpeg);
      ticker.advanceMillis(200);
    }
    RecordingMetadata m = rec.stop();

    VideoProbe probe = assertCompleted(m, 30, 30);
    assertThat(probe.width()).isEqualTo(WIDTH);
    assertThat(probe.height()).isEqualTo(HEIGHT);
    Path video = video(m);
    Rectangle topBar = new Rectangle(120, 4, 80, 16);
    Rectangle leftBar = new Rectangle(4, 80, 80, 80);
    List<Integer> centre = levels(video, centre());
    List<Integer> top = levels(video, topBar);
    List<Integer> left = levels(video, leftBar);
    int tol = levelTolerance();

    assertThat(centre.get(8)).as("16:9 content").isCloseTo(white, within(tol));
    assertThat(top.get(8)).as("16:9 top bar is black").isLessThan(tol + 16);
    assertThat(left.get(8)).as("16:9 fills the width").isCloseTo(white, within(tol));

    assertThat(centre.get(14)).as("portrait content").isCloseTo(white, within(tol));
    assertThat(left.get(14)).as("portrait side bar is black").isLessThan(tol + 16);
    assertThat(top.get(14)).as("portrait fills the height").isCloseTo(white, within(tol));

    assertThat(top.get(20)).as("same aspect: no bars").isCloseTo(200, within(tol));
    assertThat(left.get(20)).as("same aspect: no bars").isCloseTo(200, within(tol));
  }

  @Test
  @DisplayName("snapshots that cannot be decoded are counted as rejected and take no frame slot")
  void corruptSnapshotsAreCountedAndSkipped() {
    ActiveRecording rec = service.start(OWNER, "corrupt", options(30));
    byte[] corrupt = SnapshotImages.corruptJpeg(WIDTH, HEIGHT);
    rec.write(SnapshotImages.gray(WIDTH, HEIGHT, 40, "a")); // 0 ms
    ticker.advanceMillis(200);
    rec.writeEncoded(corrupt); // 200 ms: rejected, frame 40 keeps showing
    ticker.advanceMillis(200);
    rec.write(SnapshotImages.gray(WIDTH, HEIGHT, 200, "b")); // 400 ms
    ticker.advanceMillis(200);
    rec.writeEncoded(corrupt); // 600 ms
    rec.writeEncoded(corrupt);
    ticker.advanceMillis(400);
    RecordingMetadata m = rec.stop(); // 1000 ms

    assertCompleted(m, 30, 30);
    assertThat(m.framesReceived()).isEqualTo(5);
    assertThat(m.framesRejected()).isEqualTo(3);
    List<Integer> centre = levels(video(m), centre());
    assertThat(centre.get(8))
        .as("slot of the first corrupt snapshot repeats the previous one")
        .isCloseTo(40, within(levelTolerance()));
    assertThat(centre.get(20))
        .as("slot of later corrupt snapshots repeats the previous one")
        .isCloseTo(200, within(levelTolerance()));
  }

  @Test
  @DisplayName("start then stop with no snapshot: completed, 0 frames, an empty video stored")
  void zeroFrames() throws IOException {
    ActiveRecording rec = service.start(OWNER, "empty", options(30));
    ticker.advanceMillis(1000);
    RecordingMetadata m = rec.stop();

    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.frameCount()).isZero();
    assertThat(m.durationSeconds()).isZero();
    assertThat(m.framesReceived()).isZero();
    Path video = video(m);
    assertThat(video).exists();
    assertThat(Files.size(video)).isEqualTo(m.fileSizeBytes());
    assertThat(service.get(OWNER, m.recordingId())).contains(m);
  }

  @Test
  @DisplayName("a single snapshot stopped at once gives exactly one frame")
  void singleFrame() {
    ActiveRecording rec = service.start(OWNER, "single", options(30));
    rec.write(SnapshotImages.gray(WIDTH, HEIGHT, 180, "1"));
    RecordingMetadata m = rec.stop();

    assertCompleted(m, 1, 30);
    assertThat(levels(video(m), centre())).singleElement().satisfies(level -> assertThat(level)
        .isCloseTo(180, within(levelTolerance())));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("20 s of 5 fps snapshots become exactly 600 frames at 30 fps")
  void longishRecording() {
    ActiveRecording rec = service.start(OWNER, "long", options(30));
    for (int i = 0; i < 100; i++) {
      rec.write(SnapshotImages.gray(WIDTH, HEIGHT, 30 + (i * 2), "#" + i));
      ticker.advanceMillis(200);
    }
    RecordingMetadata m = rec.stop();

    assertCompleted(m, 600, 30);
    assertThat(m.durationSeconds()).isEqualTo(20.0);
    assertThat(m.framesDuplicated()).isEqualTo(500);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("4 recordings at different rates encode concurrently without crosstalk")
  void fourConcurrentRecordings() throws Exception {
    double[] rates = {15, 24, 30, 60};
    List<ActiveRecording> recs = new ArrayList<>();
    for (int r = 0; r < rates.length; r++) {
      recs.add(service.start(OWNER, "concurrent-" + r, options(rates[r])));
    }
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService clients = Executors.newFixedThreadPool(rates.length);
    try {
      List<Future<?>> feeding = new ArrayList<>();
      for (int r = 0; r < rates.length; r++) {
        ActiveRecording rec = recs.get(r);
        int base = 40 + 50 * r;
        feeding.add(clients.submit(() -> {
          go.await();
          // Client capture times make the slots exact whatever the threads' interleaving.
          for (int i = 0; i < 10; i++) {
            rec.write(SnapshotImages.gray(WIDTH, HEIGHT, i < 9 ? base : base + 20, "#" + i)
                .capturedAt(i * 200_000_000L));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : feeding) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    List<CompletableFuture<RecordingMetadata>> stops =
        recs.stream().map(ActiveRecording::stopAsync).toList();
    for (int r = 0; r < rates.length; r++) {
      RecordingMetadata m = stops.get(r).get(60, TimeUnit.SECONDS);
      // Last snapshot at 1.8 s; the stop (ticker never moved) is before it, so the video ends with
      // it.
      long frames = Math.round(1.8 * rates[r]) + 1;
      assertCompleted(m, frames, rates[r]);
      List<Integer> centre = levels(video(m), centre());
      int base = 40 + 50 * r;
      assertThat(centre.get(0))
          .as("recording %d shows its own snapshots", r)
          .isCloseTo(base, within(levelTolerance()));
      assertThat(centre.get((int) frames - 1)).isCloseTo(base + 20, within(levelTolerance()));
    }
  }

  @Test
  @DisplayName("an unknown codec is refused at start with an EncoderException, nothing is stored")
  void unknownCodecIsRefused() throws IOException {
    assertThatThrownBy(() -> service.start(OWNER, "nocodec", options(30).withCodec("nosuchcodec")))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("nosuchcodec");
    assertThat(service.list(OWNER)).isEmpty();
    assertThat(service.active(OWNER, "nocodec")).isEmpty();
  }

  // ---------------------------------------------------------------- directly through the SPI

  @Test
  @DisplayName("SPI: validate names the codec written; one write is one frame, duplicates included")
  void spiWritesOneFramePerSlot() {
    EncodingSpec spec = spec(25);
    assertThat(sink().validate(spec)).isEqualTo(expectedCodecName());
    Path dir = temp.resolve("spi");
    Path output = dir.resolve("out.partial.mp4");
    Path target = dir.resolve("out.mp4");
    mkdirs(dir);
    long frames;
    try (EncodingSession session = sink().open(spec, output)) {
      int[] repeats = {1, 5, 10};
      for (int i = 0; i < repeats.length; i++) {
        try (PreparedFrame frame =
            session.prepare(SnapshotImages.gray(WIDTH, HEIGHT, level(i * 3), "#" + i))) {
          for (int n = 0; n < repeats[i]; n++) {
            session.write(frame, n > 0);
          }
        }
      }
      frames = session.finish(target);
    }
    assertThat(frames).isEqualTo(16);
    VideoProbe probe = VideoProbe.of(target);
    assertThat(probe.decodedFrames()).isEqualTo(16);
    assertThat(probe.frameRate()).isCloseTo(25, within(0.01));
    assertThat(probe.codec()).isEqualTo(expectedCodecName());
    assertThat(probe.durationSeconds()).isCloseTo(16 / 25.0, within(1.5 / 25));
    List<Integer> centre = levels(target, centre());
    assertThat(centre.get(0)).isCloseTo(level(0), within(levelTolerance()));
    assertThat(centre.get(5)).isCloseTo(level(3), within(levelTolerance()));
    assertThat(centre.get(15)).isCloseTo(level(6), within(levelTolerance()));
  }

  @Test
  @DisplayName("SPI: raw BGR24, RGB24 and GRAY8 snapshots and colour JPEGs keep their colours")
  void rawSnapshotsKeepTheirColours() {
    EncodingSpec spec = spec(30);
    Path dir = temp.resolve("raw");
    Path output = dir.resolve("out.partial.mp4");
    Path target = dir.resolve("out.mp4");
    mkdirs(dir);
    List<Snapshot> inputs = List.of(
        SnapshotImages.rawFilled(160, 120, PixelFormat.RGB24, 220, 20, 20),
        SnapshotImages.rawFilled(160, 120, PixelFormat.BGR24, 20, 20, 220),
        SnapshotImages.rawFilled(WIDTH, HEIGHT, PixelFormat.GRAY8, 128, 128, 128),
        Snapshot.encoded(SnapshotImages.jpeg(WIDTH, HEIGHT, new Color(20, 200, 20), "")));
    try (EncodingSession session = sink().open(spec, output)) {
      for (Snapshot s : inputs) {
        try (PreparedFrame frame = session.prepare(s)) {
          session.write(frame, false);
        }
      }
      assertThat(session.finish(target)).isEqualTo(4);
    }
    List<int[]> rgb = decode(target, image -> meanRgb(image, centre()));
    assertThat(rgb).hasSize(4);
    assertRgb(rgb.get(0), 220, 20, 20, "RGB24 red");
    assertRgb(rgb.get(1), 20, 20, 220, "BGR24 blue");
    assertRgb(rgb.get(2), 128, 128, 128, "GRAY8 gray");
    assertRgb(rgb.get(3), 20, 200, 20, "JPEG green");
  }

  @Test
  @DisplayName(
      "SPI: a corrupt snapshot fails prepare with InvalidFrameException; the session goes on")
  void spiCorruptSnapshotFailsPrepare() {
    EncodingSpec spec = spec(30);
    Path dir = temp.resolve("bad");
    Path output = dir.resolve("out.partial.mp4");
    Path target = dir.resolve("out.mp4");
    mkdirs(dir);
    Snapshot corrupt = Snapshot.encoded(SnapshotImages.corruptJpeg(640, 480));
    try (EncodingSession session = sink().open(spec, output)) {
      assertThatThrownBy(() -> session.prepare(corrupt)).isInstanceOf(InvalidFrameException.class);
      try (PreparedFrame frame = session.prepare(SnapshotImages.gray(WIDTH, HEIGHT, 90, "ok"))) {
        session.write(frame, false);
        session.write(frame, true);
      }
      assertThat(session.finish(target)).isEqualTo(2);
    }
    assertThat(VideoProbe.of(target).decodedFrames()).isEqualTo(2);
  }

  @Test
  @DisplayName("SPI: close() without finish releases the encoder and leaves no final file")
  void closeWithoutFinish() throws IOException {
    EncodingSpec spec = spec(30);
    Path dir = temp.resolve("abandon");
    mkdirs(dir);
    Path output = dir.resolve("out.partial.mp4");
    EncodingSession session = sink().open(spec, output);
    try (PreparedFrame frame = session.prepare(SnapshotImages.gray(WIDTH, HEIGHT, 90, "x"))) {
      for (int i = 0; i < 10; i++) {
        session.write(frame, i > 0);
      }
    }
    session.close();
    session.close(); // idempotent

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .as("only the abandoned working file may remain")
          .isSubsetOf("out.partial.mp4");
    }
    // The sink is still usable afterwards, and close() after finish() keeps the finished file.
    Path output2 = dir.resolve("again.partial.mp4");
    Path target2 = dir.resolve("again.mp4");
    EncodingSession again = sink().open(spec, output2);
    try (PreparedFrame frame = again.prepare(SnapshotImages.gray(WIDTH, HEIGHT, 90, "y"))) {
      again.write(frame, false);
    }
    assertThat(again.finish(target2)).isEqualTo(1);
    again.close();
    assertThat(VideoProbe.of(target2).decodedFrames()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "crash safety is what the sink declares: a partial file is recoverable, or recover() refuses")
  void crashSafetyIsDeclaredAndHonoured() throws IOException {
    assertThat(sink().crashSafe())
        .as("crashSafe() of %s", sink().name())
        .isEqualTo(expectsCrashSafe());
    EncodingSpec spec = new EncodingSpec(codec(), WIDTH, HEIGHT, 30, 80, 0.5);
    Path dir = temp.resolve("crash");
    mkdirs(dir);
    Path output = dir.resolve("out.partial.mp4");
    Path copy = dir.resolve("killed.partial.mp4");
    Path recovered = dir.resolve("recovered.mp4");
    try (EncodingSession session = sink().open(spec, output)) {
      for (int i = 0; i < 90; i++) {
        try (PreparedFrame frame =
            session.prepare(SnapshotImages.gray(WIDTH, HEIGHT, 40 + 2 * i, "#" + i))) {
          session.write(frame, false);
        }
      }
      // What a killed process leaves behind: the working file as it is mid-recording.
      if (Files.exists(output)) {
        Files.copy(output, copy);
      } else {
        Files.createFile(copy); // a sink that buffers everything in memory leaves an empty file
      }
    }
    if (expectsCrashSafe()) {
      assertThat(VideoProbe.of(copy).decodedFrames())
          .as("the partial file itself decodes")
          .isPositive();
      long frames = sink().recover(copy, recovered, spec);
      assertThat(frames)
          .as("frames recovered of 90 written, keyframes every 15")
          .isBetween(15L, 90L);
      VideoProbe probe = VideoProbe.of(recovered);
      assertThat(probe.decodedFrames()).isEqualTo(frames);
      assertThat(probe.codec()).isEqualTo(expectedCodecName());
      assertThat(probe.moovBeforeMdat()).isEqualTo(expectsMoovFirst());
    } else {
      // By design (e.g. a plain MP4 whose index is only written at the end): nothing to recover.
      assertThatThrownBy(() -> sink().recover(copy, recovered, spec))
          .as("a sink that is not crash-safe refuses recovery")
          .isInstanceOf(EncoderException.class);
      assertThat(recovered).doesNotExist();
    }
  }

  // ---------------------------------------------------------------- helpers for subclasses

  /** Options at {@code fps} for the recording size and {@link #codec()}. */
  protected RecordingOptions options(double fps) {
    return new RecordingOptions(fps, new Resolution(WIDTH, HEIGHT), codec(), 90);
  }

  protected EncodingSpec spec(double fps) {
    return EncodingSpec.of(options(fps));
  }

  /** The stored video file of a finished recording. */
  protected Path video(RecordingMetadata m) {
    return storage.resolve(m.filepath());
  }

  /**
   * Checks a finished recording's metadata against its stored file and the file's decoded content:
   * status, codec, rate, size, exact frame count and duration, size and checksum.
   */
  protected VideoProbe assertCompleted(RecordingMetadata m, long frames, double fps) {
    assertThat(m.status()).as("status (error: %s)", m.error()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.codec()).isEqualTo(expectedCodecName());
    assertThat(m.fps()).isEqualTo(fps);
    assertThat(m.resolutionWidth()).isEqualTo(WIDTH);
    assertThat(m.resolutionHeight()).isEqualTo(HEIGHT);
    assertThat(m.frameCount()).as("frame_count").isEqualTo(frames);
    assertThat(m.durationSeconds()).as("duration_seconds").isCloseTo(frames / fps, within(1e-9));
    Path video = video(m);
    assertThat(video).exists();
    try {
      assertThat(Files.size(video)).isEqualTo(m.fileSizeBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(m.sha256()).isEqualTo(sha256(video));

    VideoProbe probe = VideoProbe.of(video);
    assertThat(probe.codec()).isEqualTo(expectedCodecName());
    assertThat(probe.width()).isEqualTo(WIDTH);
    assertThat(probe.height()).isEqualTo(HEIGHT);
    assertThat(probe.decodedFrames()).as("decoded frames").isEqualTo(frames);
    assertThat(probe.frameRate()).as("frame rate").isCloseTo(fps, within(0.01));
    assertThat(probe.durationSeconds())
        .as("container duration")
        .isCloseTo(frames / fps, within(1.5 / fps));
    assertThat(probe.moovBeforeMdat()).as("moov before mdat").isEqualTo(expectsMoovFirst());
    return probe;
  }

  /** Mean gray level of {@code region} in every decoded frame, in order. */
  protected static List<Integer> levels(Path video, Rectangle region) {
    return decode(video, image -> {
      int[] rgb = meanRgb(image, region);
      return (rgb[0] + rgb[1] + rgb[2]) / 3;
    });
  }

  /** A 40x40 area in the middle of the frame, away from the drawn labels. */
  protected static Rectangle centre() {
    return new Rectangle(WIDTH / 2 - 20, HEIGHT / 2 - 20, 40, 40);
  }

  /** Decodes every frame of {@code video} as BGR and maps it (the image is reused between frames). */
  protected static <T> List<T> decode(Path video, Function<BufferedImage, T> perFrame) {
    List<T> out = new ArrayList<>();
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      grabber.start();
      Frame frame;
      while ((frame = grabber.grabImage()) != null) {
        out.add(perFrame.apply(converter.convert(frame)));
      }
    } catch (FrameGrabber.Exception e) {
      throw new AssertionError("cannot decode " + video + ": " + e.getMessage(), e);
    }
    return out;
  }

  protected static int[] meanRgb(BufferedImage image, Rectangle region) {
    long r = 0;
    long g = 0;
    long b = 0;
    for (int y = region.y; y < region.y + region.height; y++) {
      for (int x = region.x; x < region.x + region.width; x++) {
        int p = image.getRGB(x, y);
        r += (p >> 16) & 0xFF;
        g += (p >> 8) & 0xFF;
        b += p & 0xFF;
      }
    }
    long n = (long) region.width * region.height;
    return new int[] {(int) (r / n), (int) (g / n), (int) (b / n)};
  }

  private void assertRgb(int[] actual, int red, int green, int blue, String what) {
    int tol = levelTolerance() + 8; // chroma is subsampled and quantized harder than luma
    assertThat(actual[0]).as("%s: red", what).isCloseTo(red, within(tol));
    assertThat(actual[1]).as("%s: green", what).isCloseTo(green, within(tol));
    assertThat(actual[2]).as("%s: blue", what).isCloseTo(blue, within(tol));
  }

  /** Well-separated gray levels for snapshot {@code i} (0..9). */
  private static int level(int i) {
    return 20 + 24 * i;
  }

  private static void awaitFramesWritten(ActiveRecording rec, long frames)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (rec.stats().framesWritten() < frames) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the writer emitted " + rec.stats().framesWritten()
            + " frames during a stall, expected " + frames);
      }
      Thread.sleep(10);
    }
    assertThat(rec.stats().framesWritten()).isEqualTo(frames);
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
