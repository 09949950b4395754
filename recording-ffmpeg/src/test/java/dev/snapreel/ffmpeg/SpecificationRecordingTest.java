package dev.snapreel.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The specification's own test ("Test Recording Service"), in Java, verified by decoding the file. */
class SpecificationRecordingTest {
  @TempDir
  Path dir;

  @Test
  void ninetyRandomFramesAtThirtyFpsMakeAThreeSecondH264File() throws Exception {
    try (RecordingService service = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir))
        .queueCapacity(128) // the test writes 90 frames in a burst, faster than real time
        .maxCaptureLead(java.time.Duration.ofHours(1))
        .build()) {
      RecordingOptions options =
          RecordingOptions.defaults().withFps(30).withResolution(new Resolution(640, 480));
      // Made before the recording starts: on a busy machine, making them in the loop could take
      // longer
      // than the 3 s they span, and the stop (at wall time) would then add slots.
      byte[][] frames = new byte[90][];
      for (int i = 0; i < 90; i++) {
        frames[i] = TestImages.noise(640, 480, i);
      }
      ActiveRecording recording = service.start("tester", "test-session", options);
      for (int i = 0; i < 90; i++) { // 3 seconds at 30 FPS, captured 1/30 s apart
        recording.write(Snapshot.encoded(frames[i]).capturedAt(i * 1_000_000_000L / 30));
      }
      RecordingMetadata result = recording.stop();

      assertThat(result.status()).isEqualTo(RecordingStatus.COMPLETED);
      assertThat(result.frameCount()).isEqualTo(90);
      assertThat(result.durationSeconds()).isCloseTo(3.0, within(1e-9));
      assertThat(result.codec()).isEqualTo("h264");
      assertThat(result.framesReceived()).isEqualTo(90);
      assertThat(result.framesDropped()).isZero();
      assertThat(result.framesDuplicated()).isZero();
      assertThat(result.filename()).matches("session_test-session_\\d{8}_\\d{6}_\\d{3}\\.mp4");

      Path file = dir.resolve(result.filepath());
      assertThat(Files.size(file)).isEqualTo(result.fileSizeBytes());
      VideoProbe probe = VideoProbe.of(file);
      assertThat(probe.codec()).isEqualTo("h264");
      assertThat(probe.pixelFormat()).isEqualTo("yuv420p");
      assertThat(probe.frameRateNum()).isEqualTo(30);
      assertThat(probe.frameRateDen()).isEqualTo(1);
      assertThat(probe.width()).isEqualTo(640);
      assertThat(probe.height()).isEqualTo(480);
      assertThat(probe.decodedFrames()).isEqualTo(90);
      assertThat(probe.durationSeconds()).isCloseTo(3.0, within(0.001));
      assertThat(probe.moovBeforeMdat()).as("faststart: moov first").isTrue();
      assertThat(probe.fragmented()).as("finalized into a plain MP4").isFalse();
    }
  }
}
