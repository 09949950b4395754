package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.RecordingOptions;
import dev.snapreel.Ticker;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.storage.StorageBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Everything {@code RecordingService.Builder} collected, validated, in one value. */
public record ServiceSettings(
    FrameSink sink,
    StorageBackend storage,
    Path workDirectory,
    RecordingOptions defaults,
    int maxActiveRecordings,
    int queueCapacity,
    long maxSnapshotBytes,
    long maxSnapshotPixels,
    Duration startTimeout,
    @Nullable Duration retention,
    Ticker ticker,
    Clock clock) {
  public ServiceSettings {
    requireNonNull(sink, "sink");
    requireNonNull(storage, "storage");
    requireNonNull(workDirectory, "workDirectory");
    requireNonNull(defaults, "defaults");
    requireNonNull(startTimeout, "startTimeout");
    requireNonNull(ticker, "ticker");
    requireNonNull(clock, "clock");
  }
}
