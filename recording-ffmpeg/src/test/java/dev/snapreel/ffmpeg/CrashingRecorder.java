package dev.snapreel.ffmpeg;

import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.storage.LocalStorage;
import java.nio.file.Path;

/** Run in a child JVM by {@link CrashRecoveryTest}: records until the parent kills the process. */
public final class CrashingRecorder {
  private CrashingRecorder() {}

  public static void main(String[] args) throws Exception {
    RecordingService service = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(LocalStorage.create(Path.of(args[0])))
        .build();
    ActiveRecording recording = service.start(
        "u1", "crash", RecordingOptions.defaults().withResolution(new Resolution(320, 240)));
    System.out.println("started " + recording.recordingId());
    for (int n = 0; ; n++) {
      recording.write(Snapshot.encoded(TestImages.solid(320, 240, TestImages.color(n))));
      System.out.println("written " + recording.stats().framesWritten());
      Thread.sleep(200); // 5 FPS
    }
  }
}
