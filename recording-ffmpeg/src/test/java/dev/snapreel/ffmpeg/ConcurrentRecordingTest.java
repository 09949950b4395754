package dev.snapreel.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several recordings written from several threads at once: each file has exactly its own frames. */
class ConcurrentRecordingTest {
  @TempDir
  Path dir;

  @Test
  void concurrentRecordingsAreIsolated() throws Exception {
    int sessions = 6;
    try (RecordingService service = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(dir))
        .queueCapacity(64)
        .maxCaptureLead(java.time.Duration.ofHours(1))
        .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(sessions);
      List<Future<RecordingMetadata>> results = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        int snapshots = 10 + 5 * s; // each session a different length
        int session = s;
        results.add(pool.submit(() -> {
          ActiveRecording r = service.start(
              "user" + session,
              "session" + session,
              RecordingOptions.defaults().withFps(30).withResolution(new Resolution(320, 240)));
          for (int i = 0; i < snapshots; i++) {
            r.write(Snapshot.encoded(TestImages.solid(320, 240, TestImages.color(i + session)))
                .capturedAt(i * 200_000_000L));
          }
          return r.stop();
        }));
      }
      pool.shutdown();
      for (int s = 0; s < sessions; s++) {
        RecordingMetadata m = results.get(s).get();
        long expected = (10 + 5 * s - 1) * 6L + 1; // snapshots 6 slots apart, the last shown once
        assertThat(m.frameCount()).as("session %d", s).isEqualTo(expected);
        assertThat(m.ownerId()).isEqualTo("user" + s);
        VideoProbe probe = VideoProbe.of(dir.resolve(m.filepath()));
        assertThat(probe.decodedFrames()).as("session %d decoded", s).isEqualTo(expected);
        assertThat(service.list("user" + s))
            .extracting(RecordingMetadata::recordingId)
            .containsExactly(m.recordingId());
      }
    }
  }
}
