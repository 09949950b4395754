package dev.snapreel.storage.s3;

import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.Resolution;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.ManualTicker;
import dev.snapreel.upload.Backoff;
import dev.snapreel.upload.UploadingStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Two hosts sharing one s3proxy bucket: each a {@link RecordingService} (H.264, 320x240, one
 * manual ticker) over its own {@link UploadingStorage} that removes its local copy once uploaded,
 * with its own work directory and, if given, its own index.
 */
final class TwoHosts implements AutoCloseable {
  final S3ProxyServer s3;
  final ManualTicker ticker = ManualTicker.create();
  final UploadingStorage storageA;
  final RecordingService hostA;
  final RecordingService hostB;
  private final String bucket;
  private final @Nullable Supplier<RecordingIndex> index;

  private TwoHosts(String bucket, Path dirA, Path dirB, @Nullable Supplier<RecordingIndex> index)
      throws Exception {
    this.bucket = bucket;
    this.index = index;
    this.s3 = S3ProxyServer.start(bucket);
    this.storageA = storage(dirA);
    this.hostA = service(storageA, dirA);
    this.hostB = service(storage(dirB), dirB);
  }

  /** Hosts that keep their metadata in the bucket only. */
  static TwoHosts start(String bucket, Path dirA, Path dirB) throws Exception {
    return new TwoHosts(bucket, dirA, dirB, null);
  }

  /** Hosts that also share an index: {@code index} gives each host its own client of it. */
  static TwoHosts start(String bucket, Path dirA, Path dirB, Supplier<RecordingIndex> index)
      throws Exception {
    return new TwoHosts(bucket, dirA, dirB, index);
  }

  private UploadingStorage storage(Path dir) {
    return UploadingStorage.builder()
        .local(LocalStorage.create(dir.resolve("recordings")))
        .remote(s3.storage(bucket).build())
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)))
        .removeLocalAfterUpload(true)
        .build();
  }

  private RecordingService service(UploadingStorage storage, Path dir) {
    RecordingService.Builder b = RecordingService.builder()
        .sink(FfmpegSinks.h264())
        .storage(storage)
        .workDirectory(dir.resolve("work"))
        .defaults(RecordingOptions.defaults().withResolution(Resolution.parse("320x240")))
        .ticker(ticker);
    if (index != null) {
      b.index(index.get());
    }
    return b.build();
  }

  @Override
  public void close() throws Exception {
    hostA.close();
    hostB.close();
    s3.close();
  }
}
