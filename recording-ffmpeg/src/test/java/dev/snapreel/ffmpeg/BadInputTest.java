package dev.snapreel.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.ActiveRecording;
import dev.snapreel.EncoderException;
import dev.snapreel.InvalidFrameException;
import dev.snapreel.InvalidOptionException;
import dev.snapreel.PixelFormat;
import dev.snapreel.RecordingConflictException;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets its own clear error, and a healthy recording beside it is untouched. */
class BadInputTest {
  private static final RecordingOptions SMALL =
      RecordingOptions.defaults().withResolution(new Resolution(320, 240));

  @TempDir
  Path dir;

  private RecordingService service;
  private ActiveRecording healthy;
  private int healthyFrames;

  @BeforeEach
  void startHealthyNeighbour() {
    // Capture times replayed faster than real time: allow them to run ahead of the clock.
    service = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir))
        .maxCaptureLead(java.time.Duration.ofHours(1))
        .build();
    healthy = service.start("bystander", "healthy", SMALL);
    feedHealthy(5);
  }

  private void feedHealthy(int count) {
    for (int i = 0; i < count; i++) {
      healthy.write(Snapshot.encoded(TestImages.solid(320, 240, TestImages.color(healthyFrames)))
          .capturedAt(healthyFrames * 200_000_000L));
      healthyFrames++;
    }
  }

  @AfterEach
  void neighbourStillRecordsCorrectly() throws Exception {
    feedHealthy(5);
    RecordingMetadata m = healthy.stop();
    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.framesRejected()).isZero();
    // 10 snapshots 200 ms apart at 30 fps: slots 0..54, the last held for one frame
    assertThat(m.frameCount()).isEqualTo(55);
    assertThat(VideoProbe.of(dir.resolve(m.filepath())).decodedFrames()).isEqualTo(55);
    service.close();
  }

  @Test
  void emptyBytesAreRefused() {
    assertThatThrownBy(() -> Snapshot.encoded(new byte[0]))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void bytesThatAreNoImageAreRefused() {
    assertThatThrownBy(() -> Snapshot.encoded("hello, not a jpeg".getBytes()))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("neither JPEG nor PNG");
  }

  @Test
  void aJpegWithACorruptBodyIsCountedAsRejectedAndTheRecordingGoesOn() {
    ActiveRecording recording = service.start("u1", "corrupt", SMALL);
    byte[] good = TestImages.solid(320, 240, TestImages.color(1));
    byte[] corrupt = Arrays.copyOf(good, good.length);
    for (int i = good.length / 3; i < good.length - 2; i++) {
      corrupt[i] = (byte) (i * 31);
    }
    recording.write(Snapshot.encoded(good).capturedAt(0));
    assertThatThrownBy(() -> recording.writeEncoded(corrupt))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("corrupt JPEG");
    recording.write(Snapshot.encoded(good).capturedAt(400_000_000L));
    RecordingMetadata m = recording.stop();
    assertThat(m.status()).isEqualTo(RecordingStatus.COMPLETED);
    assertThat(m.framesRejected()).isEqualTo(1);
    assertThat(m.frameCount()).isEqualTo(13); // slots 0..12: the corrupt one is simply not there
  }

  @Test
  void aTruncatedJpegIsRefused() {
    ActiveRecording recording = service.start("u1", "truncated", SMALL);
    byte[] good = TestImages.solid(320, 240, TestImages.color(1));
    recording.write(Snapshot.encoded(good).capturedAt(0));
    assertThatThrownBy(() -> recording.writeEncoded(Arrays.copyOf(good, good.length / 2)))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("truncated JPEG");
    RecordingMetadata m = recording.stop();
    assertThat(m.framesRejected()).isEqualTo(1);
    assertThat(m.frameCount()).isEqualTo(1);
  }

  @Test
  void rawPixelsOfTheWrongLengthAreRefused() {
    assertThatThrownBy(() -> Snapshot.raw(320, 240, PixelFormat.BGR24, new byte[320 * 240]))
        .isInstanceOf(InvalidFrameException.class)
        .hasMessageContaining("needs 230400 bytes");
  }

  @Test
  void aSnapshotOverTheByteLimitIsRefused() {
    try (RecordingService small = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir.resolve("small")))
        .maxSnapshotBytes(1000)
        .build()) {
      ActiveRecording recording = small.start("u1", "big", SMALL);
      assertThatThrownBy(() -> recording.write(Snapshot.encoded(TestImages.noise(320, 240, 1))))
          .isInstanceOf(InvalidFrameException.class)
          .hasMessageContaining("exceeds the limit");
      assertThat(recording.stats().framesRejected()).isEqualTo(1);
      recording.stop();
    }
  }

  @Test
  void unknownRecordingsAreNotFound() {
    assertThat(service.get("u1", "no-such-recording")).isEmpty();
    assertThat(service.get("u1", "../../etc/passwd")).isEmpty();
    assertThatThrownBy(() -> service.delete("u1", "no-such-recording"))
        .isInstanceOf(dev.snapreel.RecordingNotFoundException.class);
    assertThatThrownBy(() -> service.stop("u1", "not-recording"))
        .isInstanceOf(RecordingConflictException.class)
        .hasMessageContaining("not recording");
  }

  @Test
  void startingTheSameSessionTwiceIsAConflict() {
    ActiveRecording first = service.start("u1", "twice", SMALL);
    assertThatThrownBy(() -> service.start("u1", "twice", SMALL))
        .isInstanceOf(RecordingConflictException.class)
        .hasMessageContaining("already recording");
    first.stop();
  }

  @Test
  void writingAfterStopIsAConflict() {
    ActiveRecording recording = service.start("u1", "stopped", SMALL);
    recording.stop();
    assertThatThrownBy(() ->
            recording.write(Snapshot.encoded(TestImages.solid(320, 240, TestImages.color(1)))))
        .isInstanceOf(RecordingConflictException.class);
  }

  @Test
  void invalidOptionsFailAtStartNamingTheField() {
    assertThatThrownBy(() -> service.start("u1", "s", SMALL.withFps(120)))
        .isInstanceOfSatisfying(
            InvalidOptionException.class, e -> assertThat(e.field()).isEqualTo("fps"));
    assertThatThrownBy(() -> Resolution.parse("641x480"))
        .isInstanceOfSatisfying(
            InvalidOptionException.class, e -> assertThat(e.field()).isEqualTo("resolution"));
    assertThatThrownBy(() -> Resolution.parse("8000x8000"))
        .isInstanceOfSatisfying(
            InvalidOptionException.class, e -> assertThat(e.field()).isEqualTo("resolution"));
    assertThatThrownBy(() -> service.start("u1", "../escape", SMALL))
        .isInstanceOfSatisfying(
            InvalidOptionException.class, e -> assertThat(e.field()).isEqualTo("session_id"));
    assertThatThrownBy(() -> service.start("u1", "s", SMALL.withCodec("vp9")))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("not supported");
  }

  @Test
  void x264WithoutTheGplNativesFailsAtStartInsteadOfFallingBack() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        dev.snapreel.ffmpeg.internal.FfmpegCodecs.available("libx264"),
        "GPL natives present: libx264 exists");
    assertThatThrownBy(() -> service.start("u1", "x264", SMALL.withCodec("libx264")))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("-Pgpl");
    assertThat(service.active("u1", "x264")).isEmpty();
  }

  @Test
  void mpeg4IsWrittenOnlyWhenAskedForByName() throws Exception {
    ActiveRecording recording = service.start("u1", "mp4v", SMALL.withCodec("mp4v"));
    recording.write(
        Snapshot.encoded(TestImages.solid(320, 240, TestImages.color(3))).capturedAt(0));
    RecordingMetadata m = recording.stop();
    assertThat(m.codec()).isEqualTo("mpeg4");
    assertThat(VideoProbe.of(dir.resolve(m.filepath())).codec()).isEqualTo("mpeg4");
  }
}
