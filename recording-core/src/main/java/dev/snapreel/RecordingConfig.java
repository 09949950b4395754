package dev.snapreel;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Host configuration read from the specification's environment variables: {@code RECORDINGS_PATH}
 * (default {@code recordings}), {@code RECORDING_RETENTION_DAYS} (default 7) and the
 * {@code RECORDING_DEFAULT_*} options of {@link RecordingOptions#fromEnvironment(Map)}.
 *
 * @since 0.1.0
 */
public record RecordingConfig(Path recordingsPath, RecordingOptions defaults, Duration retention) {
  public RecordingConfig {
    requireNonNull(recordingsPath, "recordingsPath");
    requireNonNull(defaults, "defaults");
    requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new InvalidOptionException("retention_days", "must be positive, was " + retention);
    }
  }

  public static RecordingConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static RecordingConfig fromEnvironment(Map<String, String> env) {
    String path = env.getOrDefault("RECORDINGS_PATH", "recordings");
    String days = env.get("RECORDING_RETENTION_DAYS");
    Duration retention = Duration.ofDays(7);
    if (days != null && !days.isBlank()) {
      double value = RecordingOptions.parseNumber("retention_days", days);
      if (value <= 0) {
        throw new InvalidOptionException("retention_days", "must be positive, was " + days);
      }
      retention = Duration.ofSeconds(Math.round(value * 86_400));
    }
    return new RecordingConfig(
        Path.of(path.isBlank() ? "recordings" : path), RecordingOptions.fromEnvironment(env), retention);
  }
}
