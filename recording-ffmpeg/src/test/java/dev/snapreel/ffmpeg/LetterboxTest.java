package dev.snapreel.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.ActiveRecording;
import dev.snapreel.PixelFormat;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.VideoProbe;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of another size or shape are scaled to fit, aspect kept, with black bars. */
class LetterboxTest {
  @TempDir
  Path dir;

  @Test
  void fourByThreeSnapshotsInASixteenByNineRecordingGetBlackSideBars() throws Exception {
    try (RecordingService service = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir))
        .maxCaptureLead(java.time.Duration.ofHours(1))
        .build()) {
      ActiveRecording r = service.start(
          "u", "box", RecordingOptions.defaults().withResolution(new Resolution(640, 360)));
      Color red = new Color(200, 30, 30);
      r.write(Snapshot.encoded(TestImages.solid(640, 480, red)).capturedAt(0)); // 4:3, bigger
      byte[] bgr = new byte[160 * 120 * 3];
      for (int i = 0; i < bgr.length; i += 3) { // raw BGR, 4:3, smaller: blue
        bgr[i] = (byte) 200;
        bgr[i + 1] = 30;
        bgr[i + 2] = 30;
      }
      r.write(Snapshot.raw(160, 120, PixelFormat.BGR24, bgr).capturedAt(200_000_000L));
      RecordingMetadata m = r.stop();

      Path file = dir.resolve(m.filepath());
      VideoProbe probe = VideoProbe.of(file);
      assertThat(probe.width()).isEqualTo(640);
      assertThat(probe.height()).isEqualTo(360);
      List<DecodedFrames.Summary> frames = DecodedFrames.of(file);
      assertThat(frames).hasSize(7);
      DecodedFrames.Summary first = frames.get(0);
      DecodedFrames.Summary last = frames.get(6);
      assertThat(Arrays.stream(first.leftEdge()).max().orElseThrow())
          .as("left bar")
          .isLessThan(25); // black bar
      assertThat(first.centre()[2]).as("red channel").isGreaterThan(150);
      assertThat(first.centre()[0]).as("blue channel").isLessThan(70);
      assertThat(Arrays.stream(last.leftEdge()).max().orElseThrow())
          .as("left bar")
          .isLessThan(25);
      assertThat(last.centre()[0]).as("blue channel").isGreaterThan(150);
      assertThat(last.centre()[2]).as("red channel").isLessThan(70);
    }
  }
}
