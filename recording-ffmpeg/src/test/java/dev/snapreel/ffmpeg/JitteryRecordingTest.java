package dev.snapreel.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real time, server clock: ~5 FPS snapshots with +-60 ms jitter and one 2 s stall for 10 s become a
 * 30 FPS file of 10 s, the stall filled with the last snapshot before it.
 */
class JitteryRecordingTest {
  @TempDir
  Path dir;

  @Test
  void irregularSnapshotsBecomeConstantThirtyFps() throws Exception {
    Random random = new Random(42);
    List<Long> sentAtNanos = new ArrayList<>();
    RecordingMetadata result;
    long startNanos;
    long stopNanos;
    try (RecordingService service = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir))
        .build()) {
      ActiveRecording recording = service.start(
          "u1",
          "jitter",
          RecordingOptions.defaults().withFps(30).withResolution(new Resolution(320, 240)));
      startNanos = System.nanoTime();
      long deadline = startNanos + 10_000_000_000L;
      int n = 0;
      long next = startNanos;
      boolean stalled = false;
      while (true) {
        long now = System.nanoTime();
        if (now >= deadline) {
          break;
        }
        if (now < next) {
          Thread.sleep(Math.max(1, (Math.min(next, deadline) - now) / 1_000_000));
          continue;
        }
        Snapshot snapshot = Snapshot.encoded(TestImages.solid(320, 240, TestImages.color(n)));
        if (n == 0) {
          startNanos = System.nanoTime(); // the grid starts at the first snapshot's arrival
          deadline = startNanos + 10_000_000_000L;
        }
        recording.write(snapshot);
        sentAtNanos.add(System.nanoTime() - startNanos);
        n++;
        long interval = 200_000_000L + (random.nextInt(121) - 60) * 1_000_000L;
        if (!stalled && now - startNanos > 4_000_000_000L) {
          interval += 2_000_000_000L; // one 2 s stall after ~4 s
          stalled = true;
        }
        next += interval;
      }
      stopNanos = System.nanoTime();
      result = recording.stop();
    }
    double wallSeconds = (stopNanos - startNanos) / 1e9;

    assertThat(result.frameCount()).isBetween(299L, 301L);
    assertThat(result.durationSeconds()).isCloseTo(wallSeconds, within(1.0 / 30 + 0.01));
    assertThat(result.durationSeconds()).isCloseTo(10.0, within(1.0 / 30 + 0.05));
    assertThat(result.framesReceived()).isEqualTo(sentAtNanos.size());
    assertThat(result.framesDuplicated()).isGreaterThan(200);

    VideoProbe probe = VideoProbe.of(dir.resolve(result.filepath()));
    assertThat(probe.decodedFrames()).isEqualTo(result.frameCount());
    assertThat(probe.frameRate()).isEqualTo(30.0);
    assertThat(probe.durationSeconds()).isCloseTo(result.durationSeconds(), within(0.001));

    // The stall: the longest gap between sends; every frame inside it shows the snapshot sent
    // before it.
    int stallIndex = 0;
    long longest = 0;
    for (int i = 1; i < sentAtNanos.size(); i++) {
      long gap = sentAtNanos.get(i) - sentAtNanos.get(i - 1);
      if (gap > longest) {
        longest = gap;
        stallIndex = i - 1;
      }
    }
    assertThat(longest).isGreaterThan(2_000_000_000L);
    List<DecodedFrames.Summary> frames = DecodedFrames.of(dir.resolve(result.filepath()));
    int firstSlot = (int) Math.ceil(sentAtNanos.get(stallIndex) / 1e9 * 30) + 2;
    int lastSlot = (int) Math.floor(sentAtNanos.get(stallIndex + 1) / 1e9 * 30) - 2;
    assertThat(lastSlot - firstSlot).isGreaterThan(50);
    double[] held = frames.get(firstSlot).whole();
    for (int slot = firstSlot; slot <= lastSlot; slot++) {
      assertThat(DecodedFrames.distance(frames.get(slot).whole(), held))
          .as("slot %d inside the stall shows the held snapshot", slot)
          .isLessThan(3.0);
    }
    // ...and it really is a different picture from the one after the stall.
    assertThat(DecodedFrames.distance(frames.get(lastSlot + 4).whole(), held)).isGreaterThan(10.0);
  }
}
