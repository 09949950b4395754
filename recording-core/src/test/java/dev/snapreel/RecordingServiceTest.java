package dev.snapreel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.metadata.StopReason;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The service's orchestration, driven through a line-writing test sink and a manual ticker. */
@Timeout(60) // guards against hangs only; nothing here depends on timing
class RecordingServiceTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:15:00.123Z");
  private static final RecordingOptions OPTIONS =
      new RecordingOptions(30, new Resolution(640, 480), "h264", 80);

  @TempDir
  Path temp;

  private Path root;
  private final RecordingFrameSink sink = new RecordingFrameSink();
  private final ManualTicker ticker = new ManualTicker();
  private final MutableClock clock = new MutableClock(T0);
  private final List<RecordingService> services = new ArrayList<>();

  @BeforeEach
  void setUp() {
    root = temp.resolve("recordings");
  }

  @AfterEach
  void tearDown() {
    for (RecordingService s : services) {
      s.close();
    }
    assertThat(sink.openFrames()).as("prepared frames never closed").isZero();
  }

  private RecordingService.Builder builder() {
    return RecordingService.builder()
        .sink(sink)
        .storage(LocalStorage.create(root))
        .defaults(OPTIONS)
        .queueCapacity(
            64) // larger than any burst below, so nothing is dropped unless a test wants it
        .ticker(ticker)
        .clock(clock);
  }

  private RecordingService service() {
    return track(builder().build());
  }

  private RecordingService track(RecordingService s) {
    services.add(s);
    return s;
  }

  /** Distinct small JPEGs and the ids the test sink writes for them. */
  private static List<byte[]> snapshots(int count, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(TestImages.jpeg(size, size, new Color((i * 0x2F3B1D + size * 0x101) & 0xFFFFFF)));
    }
    assertThat(out.stream().map(RecordingFrameSink::idOf).distinct()).hasSize(count);
    return out;
  }

  private static String id(byte[] snapshot) {
    return RecordingFrameSink.idOf(snapshot);
  }

  /** Writes {@code snapshots} 200 ms apart from the ticker's current time (5 FPS). */
  private void writeAtFiveFps(ActiveRecording rec, List<byte[]> snapshots) {
    for (byte[] s : snapshots) {
      rec.write(Snapshot.encoded(s));
      ticker.advance(Duration.ofMillis(200));
    }
  }

  private Path stored(RecordingMetadata m) {
    return root.resolve(m.filepath());
  }

  @Test
  void recordsFiveFpsSnapshotsAsThirtyFpsAndStoresTheVideoWithJsonBeside() throws IOException {
    RecordingService service = service();
    List<byte[]> input = snapshots(50, 32);

    ActiveRecording rec = service.start("alice", "s1");
    writeAtFiveFps(rec, input); // ten simulated seconds
    ticker.set(Duration.ofSeconds(10));
    RecordingMetadata m = rec.stop();

    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.frameCount()).isEqualTo(300);
    assertThat(m.durationSeconds()).isEqualTo(10.0);
    assertThat(m.framesReceived()).isEqualTo(50);
    assertThat(m.framesDuplicated()).isEqualTo(250);
    assertThat(m.framesDropped()).isZero();
    assertThat(m.framesRejected()).isZero();
    assertThat(m.filename()).isEqualTo("session_s1_20261125_101500_123.mp4");
    assertThat(m.filepath()).isEqualTo("alice/s1/session_s1_20261125_101500_123.mp4");

    Path video = stored(m);
    List<String> lines = RecordingFrameSink.lines(video);
    assertThat(lines).hasSize(300);
    for (int slot = 0; slot < 300; slot++) {
      assertThat(lines.get(slot))
          .isEqualTo(id(input.get(slot / 6)) + " 32x32 " + (slot % 6 == 0 ? "new" : "dup"));
    }
    assertThat(m.fileSizeBytes()).isEqualTo(Files.size(video));
    assertThat(m.sha256()).isEqualTo(sha256(Files.readAllBytes(video)));

    Path json = root.resolve("alice/s1/session_s1_20261125_101500_123.json");
    JsonNode node =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readAllBytes(json));
    assertThat(node.get("recording_id").asText()).isEqualTo(rec.recordingId());
    assertThat(node.get("session_id").asText()).isEqualTo("s1");
    assertThat(node.get("owner_id").asText()).isEqualTo("alice");
    assertThat(node.get("status").asText()).isEqualTo("completed");
    assertThat(node.get("filepath").asText()).isEqualTo(m.filepath()).doesNotStartWith("/");
    assertThat(node.get("codec").asText()).isEqualTo("h264");
    assertThat(node.get("fps").asDouble()).isEqualTo(30.0);
    assertThat(node.get("resolution_width").asInt()).isEqualTo(640);
    assertThat(node.get("resolution_height").asInt()).isEqualTo(480);
    assertThat(node.get("frame_count").asLong()).isEqualTo(300);
    assertThat(node.get("duration_seconds").asDouble()).isEqualTo(10.0);
    assertThat(node.get("frames_received").asLong()).isEqualTo(50);
    assertThat(node.get("frames_duplicated").asLong()).isEqualTo(250);
    assertThat(node.get("frames_dropped").asLong()).isZero();
    assertThat(node.get("frames_rejected").asLong()).isZero();
    assertThat(node.get("file_size_bytes").asLong()).isEqualTo(Files.size(video));
    assertThat(node.get("sha256").asText()).isEqualTo(m.sha256());
    assertThat(node.get("created_at").asText()).isEqualTo("2026-11-25T10:15:00.123Z");
    assertThat(node.has("recordingId")).isFalse();
    assertThat(MetadataJson.fromBytes(Files.readAllBytes(json))).isEqualTo(m);

    assertThat(service.get("alice", rec.recordingId())).hasValue(m);
    try (InputStream in = service.openVideo("alice", rec.recordingId(), new ByteRange(0, 13))) {
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(lines.get(0).substring(0, 13));
    }
    assertThat(rec.isActive()).isFalse();
    assertThat(service.active("alice", "s1")).isEmpty();
    assertThat(root.resolve(".inprogress"))
        .isDirectoryNotContaining(p -> !p.getFileName().toString().equals(".lock"));
  }

  @Test
  void aRecordingWhoseVideoIsGoneIsNotFoundWhenOpened() throws Exception {
    RecordingService service = service();
    ActiveRecording rec = service.start("alice", "s1", RecordingOptions.defaults());
    writeAtFiveFps(rec, snapshots(5, 32));
    RecordingMetadata m = rec.stop();
    Files.delete(stored(m));

    assertThatThrownBy(() -> service.openVideo("alice", m.recordingId(), ByteRange.all(10)))
        .isInstanceOf(RecordingNotFoundException.class)
        .hasMessage("recording " + m.recordingId() + " has no video (status completed)");
    assertThat(service.get("alice", m.recordingId()))
        .as("the metadata is still listed")
        .isPresent();
  }

  @Test
  void anActiveRecordingIsVisibleWithLiveCountersButCannotBeReadOrDeleted()
      throws InterruptedException {
    RecordingService service = service();
    ActiveRecording rec = service.start("alice", "live");
    writeAtFiveFps(rec, snapshots(3, 32));

    RecordingMetadata live = service.get("alice", rec.recordingId()).orElseThrow();
    assertThat(live.status()).isEqualTo(RecordingStatus.RECORDING);
    assertThat(live.framesReceived()).isEqualTo(3);
    assertThat(live.startedAt()).isEqualTo(T0);
    assertThat(service.list("alice"))
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(rec.recordingId());
    assertThat(service.list("alice", "live")).hasSize(1);
    assertThat(service.active("alice", "live")).containsSame(rec);
    assertThat(service.active()).containsExactly(rec);
    // The in-progress metadata is published beside where the video will be, by the writer thread
    // right after the encoder opened (start itself never waits for the store).
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(root.resolve(live.metadataKey())) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(root.resolve(live.metadataKey())).exists();

    assertThatThrownBy(() -> service.openVideo("alice", rec.recordingId(), ByteRange.all(1)))
        .isInstanceOf(RecordingConflictException.class);
    assertThatThrownBy(() -> service.delete("alice", rec.recordingId()))
        .isInstanceOf(RecordingConflictException.class);

    assertThat(service.stop("alice", "live").status()).isEqualTo(RecordingStatus.COMPLETED);
  }

  @Test
  void countsReceivedDroppedDuplicatedAndRejectedSnapshots() {
    RecordingService service =
        track(builder().maxSnapshotBytes(4096).maxSnapshotPixels(64 * 64).build());
    List<byte[]> input = snapshots(3, 32);
    ActiveRecording rec = service.start("alice", "counts");

    rec.write(Snapshot.encoded(input.get(0))); // t = 0
    ticker.advance(Duration.ofMillis(10));
    rec.write(
        Snapshot.encoded(input.get(1))); // same output slot: replaces input 0, which is dropped
    ticker.advance(Duration.ofMillis(190));
    rec.write(Snapshot.encoded(corruptBody())); // accepted, then rejected when decoded
    assertThatThrownBy(() -> rec.write(Snapshot.encoded(TestImages.jpeg(80, 80))))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("80x80 exceeds the limit of 4096 pixels");
    assertThatThrownBy(() -> rec.write(Snapshot.encoded(padded(input.get(2), 5000))))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("5000 bytes exceeds the limit of 4096");
    assertThatThrownBy(() -> rec.writeEncoded("not an image".getBytes(UTF_8)))
        .isInstanceOf(InvalidFrameException.class);
    ticker.advance(Duration.ofMillis(200));
    rec.write(Snapshot.encoded(input.get(2))); // t = 400 ms
    ticker.set(Duration.ofSeconds(1));
    RecordingMetadata m = rec.stop();

    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.framesReceived()).isEqualTo(4);
    assertThat(m.framesRejected()).isEqualTo(4);
    assertThat(m.framesDropped()).isEqualTo(1);
    assertThat(m.frameCount()).isEqualTo(30);
    assertThat(m.framesDuplicated()).isEqualTo(28);
    List<String> lines = RecordingFrameSink.lines(stored(m));
    assertThat(lines.subList(0, 12)).allMatch(l -> l.startsWith(id(input.get(1))));
    assertThat(lines.subList(12, 30)).allMatch(l -> l.startsWith(id(input.get(2))));
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aCaptureTimeFarInTheFutureIsClampedToTheServerClock() {
    RecordingService service = track(builder().build());
    List<byte[]> input = snapshots(3, 32);
    ActiveRecording rec = service.start("alice", "future");
    long clientEpoch = 5_000_000_000L;
    rec.write(Snapshot.encoded(input.get(0)).capturedAt(clientEpoch));
    ticker.advance(Duration.ofMillis(200));
    // Stamped ten years ahead: taken literally, the writer would emit nine billion slots.
    rec.write(Snapshot.encoded(input.get(1))
        .capturedAt(clientEpoch + Duration.ofDays(3650).toNanos()));
    ticker.advance(Duration.ofMillis(200));
    rec.write(
        Snapshot.encoded(input.get(2)).capturedAt(Long.MAX_VALUE)); // and one that would overflow
    ticker.set(Duration.ofSeconds(2));
    RecordingMetadata m = rec.stop();

    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    // At most the server's two seconds plus the one-second margin, at 30 FPS.
    assertThat(m.frameCount()).isBetween(60L, 90L);
    assertThat(m.durationSeconds()).isLessThanOrEqualTo(3.0);
  }

  @Test
  void thePixelLimitHoldsForEveryFrameHeaderNotOnlyTheFirst() {
    RecordingService service = track(builder().maxSnapshotPixels(64 * 64).build());
    ActiveRecording rec = service.start("alice", "two-headers");
    assertThatThrownBy(
            () -> rec.writeEncoded(TestImages.jpegWithSecondFrameHeader(32, 32, 20000, 20000)))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("20000x20000 exceeds the limit of 4096 pixels");
    rec.writeEncoded(TestImages.jpeg(32, 32));
    RecordingMetadata m = rec.stop();
    assertThat(m.framesRejected()).isEqualTo(1);
    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
  }

  @Test
  void anOversizedSnapshotIsRefusedAndTheRecordingGoesOn() {
    RecordingService service = track(builder().maxSnapshotBytes(4096).build());
    List<byte[]> input = snapshots(2, 32);
    ActiveRecording rec = service.start("alice", "big");

    rec.write(Snapshot.encoded(input.get(0)));
    assertThatThrownBy(() -> rec.write(Snapshot.encoded(padded(input.get(1), 4097))))
        .isInstanceOf(InvalidFrameException.class);
    assertThat(rec.stats().framesRejected()).isEqualTo(1);
    assertThat(rec.stats().lastError()).contains("exceeds the limit");
    assertThat(rec.isActive()).isTrue();
    ticker.advance(Duration.ofMillis(200));
    rec.write(Snapshot.encoded(input.get(1)));
    ticker.advance(Duration.ofMillis(200));
    RecordingMetadata m = rec.stop();

    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.frameCount()).isEqualTo(12);
    assertThat(m.framesRejected()).isEqualTo(1);
    assertThat(m.framesReceived()).isEqualTo(2);
  }

  @Test
  void aCorruptJpegBodyIsCountedAsRejectedAndTheRecordingGoesOn() {
    RecordingService service = service();
    List<byte[]> input = snapshots(2, 32);
    ActiveRecording rec = service.start("alice", "corrupt");

    rec.write(Snapshot.encoded(input.get(0)));
    ticker.advance(Duration.ofMillis(200));
    rec.write(Snapshot.encoded(corruptBody())); // the header is fine, so write accepts it
    ticker.advance(Duration.ofMillis(200));
    rec.write(Snapshot.encoded(input.get(1)));
    ticker.advance(Duration.ofMillis(200));
    RecordingMetadata m = rec.stop();

    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.framesRejected()).isEqualTo(1);
    assertThat(m.error()).isNull();
    assertThat(RecordingFrameSink.lines(stored(m)))
        .hasSize(18)
        .allMatch(l -> l.startsWith(id(input.get(0))) || l.startsWith(id(input.get(1))));
  }

  @Test
  void startingASessionThatIsRecordingConflicts() {
    RecordingService service = service();
    ActiveRecording rec = service.start("alice", "s1");

    assertThatThrownBy(() -> service.start("alice", "s1"))
        .isInstanceOf(RecordingConflictException.class);
    // Another owner's session of the same name is independent.
    ActiveRecording bobs = service.start("bob", "s1");

    rec.write(Snapshot.encoded(snapshots(1, 32).get(0)));
    rec.stop();
    bobs.stop();
  }

  @Test
  void restartingAStoppedSessionKeepsBothRecordings() {
    RecordingService service = service();
    List<byte[]> input = snapshots(2, 32);

    ActiveRecording first = service.start("alice", "s1");
    first.write(Snapshot.encoded(input.get(0)));
    RecordingMetadata one = first.stop();
    // Same wall-clock millisecond: the second recording must not overwrite the first.
    ActiveRecording second = service.start("alice", "s1");
    second.write(Snapshot.encoded(input.get(1)));
    RecordingMetadata two = second.stop();

    assertThat(two.recordingId()).isNotEqualTo(one.recordingId());
    assertThat(two.filepath()).isNotEqualTo(one.filepath());
    assertThat(service.list("alice", "s1"))
        .extracting(RecordingMetadata::recordingId)
        .containsExactlyInAnyOrder(one.recordingId(), two.recordingId());
    assertThat(RecordingFrameSink.lines(stored(one)))
        .containsExactly(id(input.get(0)) + " 32x32 new");
    assertThat(RecordingFrameSink.lines(stored(two)))
        .containsExactly(id(input.get(1)) + " 32x32 new");
  }

  @Test
  @Timeout(60)
  void startsNeitherCallTheStoreNorWaitForEachOthersEncoder() throws Exception {
    SlowStore slow =
        new SlowStore(LocalStorage.create(root.resolve("slow")), Duration.ofSeconds(2));
    sink.slowOpen(Duration.ofMillis(1000));
    RecordingService service = track(RecordingService.builder()
        .sink(sink)
        .storage(slow)
        .workDirectory(root.resolve("slow-work"))
        .defaults(OPTIONS)
        .queueCapacity(64)
        .ticker(ticker)
        .clock(clock)
        .build());
    int n = 4;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ActiveRecording>> starts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String owner = "owner" + i;
        starts.add(pool.submit(() -> {
          go.await();
          return service.start(owner, "s");
        }));
      }
      long t0 = System.nanoTime();
      go.countDown();
      List<ActiveRecording> recs = new ArrayList<>();
      for (Future<ActiveRecording> f : starts) {
        recs.add(f.get(30, TimeUnit.SECONDS));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      // Serialized encoder opening alone would take 4 s, one store call per start 8 s more.
      assertThat(seconds).as("4 starts with a 1 s encoder open and a 2 s store").isLessThan(2.9);
      assertThat(slow.callsDuringStart.get()).isZero();
      for (ActiveRecording rec : recs) {
        rec.write(Snapshot.encoded(snapshots(1, 32).get(0)));
      }
      ticker.advance(Duration.ofSeconds(1));
      for (ActiveRecording rec : recs) {
        assertThat(rec.stop().status()).isEqualTo(RecordingStatus.COMPLETED);
      }
      assertThat(recs).extracting(ActiveRecording::recordingId).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
      sink.slowOpen(Duration.ZERO);
    }
  }

  /** A store that answers every call only after {@code delay}, and counts calls made by starting threads. */
  private static final class SlowStore implements dev.snapreel.storage.StorageBackend {
    final LocalStorage delegate;
    final Duration delay;
    final java.util.concurrent.atomic.AtomicInteger callsDuringStart =
        new java.util.concurrent.atomic.AtomicInteger();

    SlowStore(LocalStorage delegate, Duration delay) {
      this.delegate = delegate;
      this.delay = delay;
    }

    private void slow() {
      if (java.util.Arrays.stream(Thread.currentThread().getStackTrace())
          .anyMatch(f -> f.getClassName().equals(RecordingService.class.getName())
              && f.getMethodName().equals("start"))) {
        callsDuringStart.incrementAndGet();
      }
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String provider() {
      return "slow";
    }

    @Override
    public void put(String key, Path source) {
      slow();
      delegate.put(key, source);
    }

    @Override
    public void moveIn(String key, Path source) {
      slow();
      delegate.moveIn(key, source);
    }

    @Override
    public void putBytes(String key, byte[] content) {
      slow();
      delegate.putBytes(key, content);
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
      slow();
      return delegate.getBytes(key);
    }

    @Override
    public Optional<dev.snapreel.storage.StoredObject> stat(String key) {
      slow();
      return delegate.stat(key);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
      slow();
      return delegate.open(key, range);
    }

    @Override
    public List<dev.snapreel.storage.StoredObject> list(String prefix) {
      slow();
      return delegate.list(prefix);
    }

    @Override
    public boolean delete(String key) {
      slow();
      return delegate.delete(key);
    }
  }

  @Test
  void writingAfterStopConflicts() {
    RecordingService service = service();
    List<byte[]> input = snapshots(2, 32);
    ActiveRecording rec = service.start("alice", "s1");
    rec.write(Snapshot.encoded(input.get(0)));
    RecordingMetadata m = rec.stop();

    assertThatThrownBy(() -> rec.write(Snapshot.encoded(input.get(1))))
        .isInstanceOf(RecordingConflictException.class);
    assertThat(rec.isActive()).isFalse();
    assertThat(rec.stop()).isEqualTo(m); // idempotent
    assertThatThrownBy(() -> service.stop("alice", "s1"))
        .isInstanceOf(RecordingConflictException.class);
    assertThat(service.get("alice", m.recordingId()).orElseThrow().framesReceived())
        .isEqualTo(1);
  }

  @Test
  void isActiveTurnsFalseAsSoonAsAStopIsRequested() throws Exception {
    RecordingService service = service();
    List<byte[]> input = snapshots(2, 32);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    sink.blockNextPrepare(entered, release);
    ActiveRecording rec = service.start("alice", "s1");
    try {
      rec.write(Snapshot.encoded(input.get(0)));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      rec.write(Snapshot.encoded(input.get(1))); // still queued: the writer is blocked
      assertThat(rec.isActive()).isTrue();

      var stopped = rec.stopAsync();

      assertThat(rec.isActive()).isFalse();
      assertThat(rec.metadata().status()).isEqualTo(RecordingStatus.FINALIZING);
      release.countDown();
      assertThat(stopped.get(30, TimeUnit.SECONDS).status()).isEqualTo(RecordingStatus.COMPLETED);
    } finally {
      release.countDown();
    }
  }

  @Test
  void unknownRecordingsAndOtherOwnersRecordingsAreNotFound() {
    RecordingService service = service();
    ActiveRecording rec = service.start("alice", "s1");
    rec.write(Snapshot.encoded(snapshots(1, 32).get(0)));
    String id = rec.stop().recordingId();

    assertThat(service.get("alice", "no-such-id")).isEmpty();
    assertThat(service.get("bob", id)).isEmpty();
    assertThat(service.get("../alice", id)).isEmpty();
    assertThat(service.get("alice", "../" + id)).isEmpty();
    assertThat(service.list("bob")).isEmpty();
    assertThat(service.list("..")).isEmpty();
    assertThatThrownBy(() -> service.openVideo("bob", id, ByteRange.all(10)))
        .isInstanceOf(RecordingNotFoundException.class);
    assertThatThrownBy(() -> service.delete("bob", id))
        .isInstanceOf(RecordingNotFoundException.class);
    assertThatThrownBy(() -> service.presignedUrl("bob", id, Duration.ofMinutes(5)))
        .isInstanceOf(RecordingNotFoundException.class);
    assertThatThrownBy(() -> service.delete("alice", "no-such-id"))
        .isInstanceOf(RecordingNotFoundException.class);
    assertThat(service.get("alice", id)).isPresent(); // bob's attempts changed nothing
    assertThat(service.presignedUrl("alice", id, Duration.ofMinutes(5)))
        .isEmpty(); // local storage has none
  }

  @Test
  void malformedOwnerOrSessionIdsAreRefusedNamingTheField() throws IOException {
    RecordingService service = service();
    for (String bad :
        new String[] {"", "../x", "a/b", ".hidden", "..", "a b", "x".repeat(129), "%2e%2e"}) {
      assertThatThrownBy(() -> service.start(bad, "s1"))
          .as("owner %s", bad)
          .asInstanceOf(type(InvalidOptionException.class))
          .extracting(InvalidOptionException::field)
          .isEqualTo("owner_id");
      assertThatThrownBy(() -> service.start("alice", bad))
          .as("session %s", bad)
          .asInstanceOf(type(InvalidOptionException.class))
          .extracting(InvalidOptionException::field)
          .isEqualTo("session_id");
    }
    assertThat(service.active()).isEmpty();
    try (Stream<Path> files = Files.list(root)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(".inprogress");
    }
  }

  @Test
  void anUnavailableCodecFailsAtStartAndLeavesNothing() throws IOException {
    RecordingService service = service();

    assertThatThrownBy(() ->
            service.start("alice", "s1", OPTIONS.withCodec(RecordingFrameSink.UNAVAILABLE_CODEC)))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("not available");

    assertThat(service.active()).isEmpty();
    assertThat(service.list("alice")).isEmpty();
    assertThat(sink.sessionsOpened()).isZero();
    service.start("alice", "s1").stop(); // the session is free
  }

  @Test
  void refusesRecordingsBeyondCapacityUntilOneEnds() {
    RecordingService service = track(builder().maxActiveRecordings(2).build());
    ActiveRecording a = service.start("alice", "a");
    service.start("bob", "b");

    assertThatThrownBy(() -> service.start("carol", "c"))
        .isInstanceOf(CapacityExceededException.class)
        .hasMessageContaining("2 recordings are active");

    a.stop();
    assertThat(service.start("carol", "c").isActive()).isTrue();
  }

  @Test
  void oneOwnerHoldsAtMostItsLimitOfActiveRecordingsWhileOthersGoOn() {
    RecordingService service = track(builder().build()); // default: 2 per owner
    ActiveRecording a = service.start("alice", "a");
    service.start("alice", "b");

    assertThatThrownBy(() -> service.start("alice", "c"))
        .isInstanceOf(UserLimitExceededException.class)
        .hasMessageContaining("the limit is 2");
    assertThat(service.start("bob", "b").isActive()).isTrue();

    a.stop();
    assertThat(service.start("alice", "c").isActive()).isTrue();
    RecordingService three = track(
        builder().maxUserActiveRecordings(3).workDirectory(root.resolve("w3")).build());
    three.start("dave", "1");
    three.start("dave", "2");
    assertThat(three.start("dave", "3").isActive()).isTrue();
  }

  @Test
  void aRecordingStopsByItselfAtTheMaximumDurationAndSaysWhy() throws Exception {
    RecordingService service = track(builder()
        .maxRecordingDuration(Duration.ofSeconds(10))
        .idleStop(Duration.ZERO)
        .build());
    ActiveRecording rec = service.start("alice", "long");
    rec.write(Snapshot.encoded(snapshots(1, 32).get(0)));
    ticker.set(Duration.ofSeconds(11));
    RecordingMetadata m = awaitStored(service, rec.recordingId());
    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.stopReason()).isEqualTo(StopReason.MAX_DURATION);
    assertThat(m.frameCount()).isEqualTo(300); // cut at exactly 10 s of 30 FPS
    assertThatThrownBy(() -> rec.write(Snapshot.encoded(snapshots(1, 32).get(0))))
        .isInstanceOf(RecordingConflictException.class);
  }

  @Test
  void aRecordingWithoutSnapshotsForTheIdleTimeStopsByItselfAndSaysWhy() throws Exception {
    RecordingService service = track(builder().idleStop(Duration.ofSeconds(120)).build());
    ActiveRecording rec = service.start("alice", "walked-away");
    rec.write(Snapshot.encoded(snapshots(1, 32).get(0)));
    ticker.set(Duration.ofSeconds(60));
    rec.write(Snapshot.encoded(snapshots(2, 32).get(1)));
    ticker.set(Duration.ofSeconds(170)); // 110 s since the last snapshot: still recording
    Thread.sleep(300);
    assertThat(rec.isActive()).isTrue();
    ticker.set(Duration.ofSeconds(181));
    RecordingMetadata m = awaitStored(service, rec.recordingId());
    assertThat(m.stopReason()).isEqualTo(StopReason.IDLE);
    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    RecordingMetadata stopped = service.start("alice", "asked").stop();
    assertThat(stopped.stopReason()).isEqualTo(StopReason.REQUESTED);
  }

  private static RecordingMetadata awaitStored(RecordingService service, String recordingId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Optional<RecordingMetadata> m = service.get("alice", recordingId);
      if (m.isPresent() && !m.get().status().active()) {
        return m.get();
      }
      assertThat(System.nanoTime()).as("stored within 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aFailingEncoderEndsOnlyItsOwnRecording() {
    sink.failWritesOfWidth(66);
    RecordingService service = service();
    List<byte[]> good = snapshots(50, 32);
    byte[] poison = TestImages.jpeg(66, 66);
    ActiveRecording failing = service.start("alice", "bad");
    ActiveRecording healthy = service.start("bob", "good");

    for (int i = 0; i < 50; i++) {
      healthy.write(Snapshot.encoded(good.get(i)));
      if (i < 2) {
        failing.write(Snapshot.encoded(good.get(i)));
      } else if (i == 2) {
        failing.write(Snapshot.encoded(poison)); // written to the encoder when the next one arrives
      } else if (i == 3) {
        failing.write(Snapshot.encoded(good.get(i)));
      }
      ticker.advance(Duration.ofMillis(200));
    }
    ticker.set(Duration.ofSeconds(10));
    RecordingMetadata failed = failing.stop();
    RecordingMetadata completed = healthy.stop();

    assertThat(failed.status()).isEqualTo(RecordingStatus.FAILED);
    assertThat(failed.error()).contains("encoding failed").contains("66 pixel wide");
    // What the encoder wrote before failing was salvaged: the first two snapshots, 6 slots each.
    assertThat(failed.frameCount()).isEqualTo(12);
    assertThat(RecordingFrameSink.lines(stored(failed))).hasSize(12);
    assertThat(service.get("alice", failed.recordingId()))
        .hasValueSatisfying(m -> assertThat(m.status()).isEqualTo(RecordingStatus.FAILED));
    assertThatThrownBy(() -> failing.write(Snapshot.encoded(good.get(0))))
        .isInstanceOf(RecordingConflictException.class);

    assertThat(completed.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(completed.frameCount()).isEqualTo(300);
    assertThat(RecordingFrameSink.lines(stored(completed))).hasSize(300);
  }

  @Test
  void aSlowEncoderMakesTheQueueDropTheOldestWhileWriteNeverBlocks() throws Exception {
    RecordingService service = track(builder().queueCapacity(4).build());
    List<byte[]> input = snapshots(11, 32);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    sink.blockNextPrepare(entered, release);
    ActiveRecording rec = service.start("alice", "slow");

    try {
      rec.write(Snapshot.encoded(input.get(0)));
      ticker.advance(Duration.ofMillis(200));
      assertThat(entered.await(30, TimeUnit.SECONDS))
          .isTrue(); // the writer is now stuck in the sink
      writeAtFiveFps(rec, input.subList(1, 11)); // returns although the encoder is blocked

      assertThat(release.getCount()).isEqualTo(1); // the sink was blocked throughout
      RecordingStats stats = rec.stats();
      assertThat(stats.framesReceived()).isEqualTo(11);
      assertThat(stats.queued()).isEqualTo(4);
      assertThat(stats.framesDropped()).isEqualTo(6); // snapshots 1..6 made way for 7..10
    } finally {
      release.countDown();
    }
    ticker.set(Duration.ofSeconds(3));
    RecordingMetadata m = rec.stop();

    assertThat(m.framesDropped()).isEqualTo(6);
    assertThat(m.frameCount()).isEqualTo(90);
    List<String> shown = RecordingFrameSink.lines(stored(m)).stream()
        .map(l -> l.split(" ")[0])
        .distinct()
        .toList();
    assertThat(shown)
        .containsExactly(
            id(input.get(0)),
            id(input.get(7)),
            id(input.get(8)),
            id(input.get(9)),
            id(input.get(10)));
  }

  @Test
  void recoversARecordingLeftByACrashedProcess() throws IOException {
    Path work = root.resolve(".inprogress");
    Files.createDirectories(work);
    RecordingMetadata left = leftover("crash-1", "alice", "s9", RecordingStatus.RECORDING);
    Files.write(work.resolve("crash-1.json"), MetadataJson.toBytes(left));
    List<String> partialLines = new ArrayList<>();
    for (int i = 0; i < 42; i++) {
      partialLines.add("frame" + i / 6 + " 32x32 " + (i % 6 == 0 ? "new" : "dup"));
    }
    Files.write(work.resolve("crash-1.partial.mp4"), partialLines, UTF_8);
    // A second one whose encoder never wrote anything.
    Files.write(
        work.resolve("crash-2.json"),
        MetadataJson.toBytes(leftover("crash-2", "alice", "s8", RecordingStatus.RECORDING)));

    RecordingService service = service();

    RecordingMetadata recovered = service.get("alice", "crash-1").orElseThrow();
    assertThat(recovered.status()).isEqualTo(RecordingStatus.RECOVERED);
    assertThat(recovered.frameCount()).isEqualTo(42);
    assertThat(recovered.durationSeconds()).isEqualTo(42 / 30.0);
    assertThat(recovered.error()).contains("interrupted");
    assertThat(recovered.endedAt()).isNotNull();
    assertThat(RecordingFrameSink.lines(stored(recovered))).isEqualTo(partialLines);
    assertThat(recovered.sha256()).isEqualTo(sha256(Files.readAllBytes(stored(recovered))));
    assertThat(MetadataJson.fromBytes(Files.readAllBytes(root.resolve(recovered.metadataKey())))
            .status())
        .isEqualTo(RecordingStatus.RECOVERED);
    assertThat(service.list("alice"))
        .extracting(RecordingMetadata::status)
        .containsExactlyInAnyOrder(RecordingStatus.RECOVERED, RecordingStatus.FAILED);
    assertThat(service.get("alice", "crash-2").orElseThrow().error())
        .contains("nothing recoverable");
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(".lock");
    }
  }

  @Test
  void anUnrecoverablePartialIsKeptDownloadableAsIsAndRecoveredAtALaterStart() throws IOException {
    Path work = root.resolve(".inprogress");
    Files.createDirectories(work);
    RecordingMetadata left = leftover("crash-3", "alice", "s7", RecordingStatus.RECORDING);
    Files.write(work.resolve("crash-3.json"), MetadataJson.toBytes(left));
    List<String> partialLines = List.of("frame0 32x32 new", "frame0 32x32 dup", "frame1 32x32 new");
    Files.write(work.resolve("crash-3.partial.mp4"), partialLines, UTF_8);
    byte[] raw = Files.readAllBytes(work.resolve("crash-3.partial.mp4"));
    sink.failRecovery(true);

    RecordingService first = service();
    RecordingMetadata kept = first.get("alice", "crash-3").orElseThrow();
    assertThat(kept.status()).isEqualTo(RecordingStatus.FAILED);
    assertThat(kept.error()).contains("raw partial recording is kept");
    assertThat(kept.fileSizeBytes()).isEqualTo(raw.length);
    try (InputStream in =
        first.openVideo("alice", "crash-3", ByteRange.all(kept.fileSizeBytes()))) {
      assertThat(in.readAllBytes()).isEqualTo(raw); // the raw partial, as-is
    }
    assertThat(work.resolve("crash-3.partial.mp4"))
        .exists(); // still the only true copy for recovery
    assertThat(work.resolve("crash-3.json")).exists();
    services.remove(first);
    first.close();

    sink.failRecovery(false); // e.g. a fixed decoder: the next start recovers it
    RecordingMetadata recovered = service().get("alice", "crash-3").orElseThrow();
    assertThat(recovered.status()).isEqualTo(RecordingStatus.RECOVERED);
    assertThat(recovered.frameCount()).isEqualTo(3);
    assertThat(RecordingFrameSink.lines(stored(recovered))).isEqualTo(partialLines);
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(".lock");
    }
  }

  @Test
  void twoServicesCannotShareAWorkDirectory() {
    RecordingService first = service();

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("in use");

    first.close();
    service(); // released on close
  }

  @Test
  void cleanupDeletesRecordingsOlderThanTheGivenAge() {
    RecordingService service = service();
    RecordingMetadata old = recordOne(service, "alice", "old");
    clock.advance(Duration.ofDays(2));
    RecordingMetadata recent = recordOne(service, "alice", "recent");
    ActiveRecording running = service.start("alice", "running"); // active ones are never deleted
    clock.advance(Duration.ofDays(1));

    assertThat(service.cleanupOlderThan(Duration.ofDays(2))).isEqualTo(1);

    assertThat(service.get("alice", old.recordingId())).isEmpty();
    assertThat(stored(old)).doesNotExist();
    assertThat(root.resolve(old.metadataKey())).doesNotExist();
    assertThat(root.resolve("alice/old")).doesNotExist();
    assertThat(service.get("alice", recent.recordingId())).isPresent();
    assertThat(stored(recent)).exists();
    assertThat(service.cleanupOlderThan(Duration.ofDays(2))).isZero();
    assertThat(service.cleanupOlderThan(Duration.ZERO)).isEqualTo(1); // recent; running is spared
    assertThat(running.isActive()).isTrue();
    running.stop();
  }

  @Test
  void retentionSparesWhatIsNotSafelyStoredOrKeptAfterAFailure() throws IOException {
    LocalStorage storage = LocalStorage.create(root);
    RecordingMetadata completed =
        storedLeftover(storage, "r-completed", RecordingStatus.COMPLETED, 100);
    RecordingMetadata pending =
        storedLeftover(storage, "r-pending", RecordingStatus.UPLOAD_PENDING, 100);
    RecordingMetadata keptFailed = storedLeftover(storage, "r-kept", RecordingStatus.FAILED, 100);
    RecordingMetadata emptyFailed = storedLeftover(storage, "r-empty", RecordingStatus.FAILED, 0);
    RecordingMetadata elsewhere =
        storedLeftover(storage, "r-live", RecordingStatus.RECORDING, 0); // another host's
    RecordingService service = service();

    assertThat(service.cleanupOlderThan(Duration.ofHours(1))).isEqualTo(2);

    assertThat(service.get("alice", completed.recordingId())).isEmpty();
    assertThat(service.get("alice", emptyFailed.recordingId())).isEmpty();
    for (RecordingMetadata spared : List.of(pending, keptFailed, elsewhere)) {
      assertThat(service.get("alice", spared.recordingId()))
          .as(spared.status().wireName())
          .isPresent();
    }
    assertThat(root.resolve(pending.filepath())).exists();
    assertThat(root.resolve(keptFailed.filepath())).exists();
  }

  @Test
  void aRetentionUnderOneHourIsRefusedUnlessExplicitlyAllowed() {
    assertThatThrownBy(() -> builder().retention(Duration.ofMinutes(14)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("under one hour")
        .hasMessageContaining("allowShortRetention");
    track(builder().retention(Duration.ofMinutes(14)).allowShortRetention(true).build());
    services.forEach(RecordingService::close);
    services.clear();
    track(builder().retention(Duration.ofHours(1)).build());
  }

  /** Metadata (and, if {@code size > 0}, a video) of an old recording, written straight into storage. */
  private RecordingMetadata storedLeftover(
      LocalStorage storage, String id, RecordingStatus status, int size) throws IOException {
    RecordingMetadata m =
        leftover(id, "alice", "s-" + id, status).toBuilder().fileSizeBytes(size).build();
    if (size > 0) {
      storage.putBytes(m.filepath(), new byte[size]);
    }
    storage.putBytes(m.metadataKey(), MetadataJson.toBytes(m));
    return m;
  }

  @Test
  void metadataIsOnlyEverShownToTheOwnerItNamesUnderTheOwnersOwnKeys() throws IOException {
    LocalStorage storage = LocalStorage.create(root);
    RecordingService service = service();
    RecordingMetadata own = recordOne(service, "alice", "mine");
    // A metadata file under alice/ that claims another owner (a bug elsewhere, or a forged file).
    RecordingMetadata forged = RecordingMetadata.builder()
        .identity("forged-1", "mallory", "sx", "v.mp4", "alice/sx/v.mp4")
        .status(RecordingStatus.COMPLETED)
        .format("h264", 30, 640, 480)
        .createdAt(T0)
        .build();
    storage.putBytes(forged.metadataKey(), MetadataJson.toBytes(forged));
    // One that names alice but points into bob's keys.
    RecordingMetadata misplaced = RecordingMetadata.builder()
        .identity("misplaced-1", "alice", "sy", "v.mp4", "bob/sy/v.mp4")
        .status(RecordingStatus.COMPLETED)
        .format("h264", 30, 640, 480)
        .createdAt(T0)
        .build();
    storage.putBytes("alice/sy/v.json", MetadataJson.toBytes(misplaced));

    assertThat(service.list("alice"))
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(own.recordingId());
    assertThat(service.list("alice", "sx")).isEmpty();
    assertThat(service.get("alice", "forged-1")).isEmpty();
    assertThat(service.get("mallory", "forged-1")).isEmpty();
    assertThat(service.list("mallory")).isEmpty();
    assertThat(service.get("alice", "misplaced-1")).isEmpty();
    assertThat(service.list("bob")).isEmpty();
  }

  @Test
  void idsThatDifferOnlyInCaseNeverReachAnotherOwnersRecordingsOnACaseInsensitiveStore() {
    RecordingService service = track(RecordingService.builder()
        .sink(sink)
        .storage(new CaseInsensitive(root.resolve("ci")))
        .workDirectory(root.resolve("ci-work"))
        .defaults(OPTIONS)
        .queueCapacity(64)
        .ticker(ticker)
        .clock(clock)
        .build());
    RecordingMetadata alices = recordOne(service, "alice", "s1");

    assertThat(service.list("alice")).hasSize(1);
    assertThat(service.list("Alice"))
        .isEmpty(); // the store lists alice/ for Alice/, the service does not
    assertThat(service.list("ALICE", "s1")).isEmpty();
    assertThat(service.get("Alice", alices.recordingId())).isEmpty();
    assertThat(service.get("alice", alices.recordingId().toUpperCase(java.util.Locale.ROOT)))
        .isEmpty();
    assertThatThrownBy(() -> service.delete("Alice", alices.recordingId()))
        .isInstanceOf(RecordingNotFoundException.class);
    assertThat(service.get("alice", alices.recordingId())).isPresent();
  }

  /** A store whose keys are case-insensitive, like the default file systems of macOS and Windows. */
  private static final class CaseInsensitive implements dev.snapreel.storage.StorageBackend {
    private final LocalStorage delegate;

    CaseInsensitive(Path dir) {
      this.delegate = LocalStorage.create(dir);
    }

    private static String k(String key) {
      return key.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String provider() {
      return "local";
    }

    @Override
    public void put(String key, Path source) {
      delegate.put(k(key), source);
    }

    @Override
    public void moveIn(String key, Path source) {
      delegate.moveIn(k(key), source);
    }

    @Override
    public void putBytes(String key, byte[] content) {
      delegate.putBytes(k(key), content);
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
      return delegate.getBytes(k(key));
    }

    @Override
    public Optional<dev.snapreel.storage.StoredObject> stat(String key) {
      return delegate.stat(k(key));
    }

    @Override
    public InputStream open(String key, ByteRange range) {
      return delegate.open(k(key), range);
    }

    @Override
    public List<dev.snapreel.storage.StoredObject> list(String prefix) {
      return delegate.list(k(prefix));
    }

    @Override
    public boolean delete(String key) {
      return delegate.delete(k(key));
    }
  }

  @Test
  void deleteRemovesTheVideoAndItsMetadata() {
    RecordingService service = service();
    RecordingMetadata m = recordOne(service, "alice", "s1");
    RecordingMetadata kept = recordOne(service, "alice", "s2");

    assertThat(service.delete("alice", m.recordingId())).isEqualTo(m);

    assertThat(stored(m)).doesNotExist();
    assertThat(root.resolve(m.metadataKey())).doesNotExist();
    assertThat(root.resolve("alice/s1")).doesNotExist();
    assertThat(service.get("alice", m.recordingId())).isEmpty();
    assertThat(service.list("alice"))
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(kept.recordingId());
    assertThatThrownBy(() -> service.delete("alice", m.recordingId()))
        .isInstanceOf(RecordingNotFoundException.class);
  }

  @Test
  void listsNewestFirst() {
    RecordingService service = service();
    RecordingMetadata a = recordOne(service, "alice", "s1");
    clock.advance(Duration.ofMinutes(1));
    RecordingMetadata b = recordOne(service, "alice", "s2");
    clock.advance(Duration.ofMinutes(1));
    RecordingMetadata c = recordOne(service, "alice", "s1");
    recordOne(service, "bob", "s1");

    assertThat(service.list("alice"))
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(c.recordingId(), b.recordingId(), a.recordingId());
    assertThat(service.list("alice", "s1"))
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(c.recordingId(), a.recordingId());

    // A fresh service over the same storage sees the same, from the JSON files alone.
    services.remove(service);
    service.close();
    assertThat(service().list("alice"))
        .extracting(RecordingMetadata::recordingId)
        .containsExactly(c.recordingId(), b.recordingId(), a.recordingId());
  }

  @Test
  void eightRecordingsFromEightThreadsEachGetTheirFrames() throws Exception {
    RecordingService service = service();
    int threads = 8;
    List<List<byte[]>> inputs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      inputs.add(snapshots(50, 16 + 2 * t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      // The eight clients send in lock step while the server clock moves 200 ms per round: capture
      // times may not run ahead of the server's clock (they are clamped to it plus a small margin).
      java.util.concurrent.atomic.AtomicInteger round =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.CyclicBarrier step = new java.util.concurrent.CyclicBarrier(
          threads, () -> ticker.set(Duration.ofMillis(200L * round.getAndIncrement())));
      List<Future<ActiveRecording>> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        started.add(pool.submit(() -> {
          go.await();
          ActiveRecording rec = service.start("owner" + n, "session");
          long clientEpoch = 1_000_000_000_000L * (n + 1); // each client has its own clock
          for (int i = 0; i < 50; i++) {
            step.await(30, TimeUnit.SECONDS);
            rec.write(
                Snapshot.encoded(inputs.get(n).get(i)).capturedAt(clientEpoch + i * 200_000_000L));
          }
          return rec;
        }));
      }
      go.countDown();
      List<ActiveRecording> recs = new ArrayList<>();
      for (Future<ActiveRecording> f : started) {
        recs.add(f.get(30, TimeUnit.SECONDS));
      }
      ticker.set(Duration.ofSeconds(10));
      List<Future<RecordingMetadata>> stopped = new ArrayList<>();
      for (ActiveRecording rec : recs) {
        stopped.add(pool.submit(rec::stop));
      }
      for (int t = 0; t < threads; t++) {
        RecordingMetadata m = stopped.get(t).get(30, TimeUnit.SECONDS);
        int size = 16 + 2 * t;
        assertThat(m.ownerId()).isEqualTo("owner" + t);
        assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
        assertThat(m.frameCount()).isEqualTo(300);
        assertThat(m.framesDuplicated()).isEqualTo(250);
        assertThat(m.framesDropped()).isZero();
        List<String> lines = RecordingFrameSink.lines(stored(m));
        assertThat(lines).hasSize(300);
        for (int slot = 0; slot < 300; slot += 6) {
          assertThat(lines.get(slot))
              .isEqualTo(id(inputs.get(t).get(slot / 6)) + " " + size + "x" + size + " new");
        }
      }
      assertThat(new HashSet<>(recs.stream().map(ActiveRecording::recordingId).toList()))
          .hasSize(threads);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeStopsAndStoresActiveRecordings() {
    RecordingService service = service();
    List<byte[]> input = snapshots(5, 32);
    ActiveRecording a = service.start("alice", "s1");
    ActiveRecording b = service.start("bob", "s1");
    b.write(Snapshot.encoded(input.get(0)));
    writeAtFiveFps(a, input);
    ticker.set(Duration.ofSeconds(1));

    service.close();

    assertThat(a.isActive()).isFalse();
    assertThat(a.metadata().status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(a.metadata().frameCount()).isEqualTo(30);
    assertThat(b.metadata().status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThatThrownBy(() -> service.start("alice", "s2"))
        .isInstanceOf(IllegalStateException.class);
    RecordingService reopened = service();
    assertThat(reopened.get("alice", a.recordingId()))
        .hasValueSatisfying(m -> assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED));
    assertThat(reopened.get("bob", b.recordingId()))
        .hasValueSatisfying(m -> assertThat(m.frameCount()).isEqualTo(30));
  }

  private RecordingMetadata recordOne(RecordingService service, String owner, String session) {
    ActiveRecording rec = service.start(owner, session);
    rec.write(Snapshot.encoded(snapshots(1, 32).get(0)));
    ticker.advance(Duration.ofSeconds(1));
    return rec.stop();
  }

  private RecordingMetadata leftover(
      String id, String owner, String session, RecordingStatus status) {
    String filename = "session_" + session + "_20261124_080000_000.mp4";
    return RecordingMetadata.builder()
        .identity(id, owner, session, filename, owner + "/" + session + "/" + filename)
        .status(status)
        .format("h264", 30, 640, 480)
        .createdAt(T0.minus(Duration.ofDays(1)))
        .startedAt(T0.minus(Duration.ofDays(1)))
        .build();
  }

  /**
   * A JPEG whose marker structure is intact (so {@link Snapshot#encoded} accepts it) but whose
   * Huffman table is nonsense, so no decoder can read it.
   */
  private static byte[] corruptBody() {
    byte[] jpeg = TestImages.jpeg(32, 32);
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC4) { // DHT
        Arrays.fill(jpeg, i + 5, i + 21, (byte) 0x7F); // code counts summing far beyond 256
        return jpeg;
      }
    }
    throw new AssertionError("no Huffman table");
  }

  private static byte[] padded(byte[] jpeg, int length) {
    return Arrays.copyOf(jpeg, length);
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
