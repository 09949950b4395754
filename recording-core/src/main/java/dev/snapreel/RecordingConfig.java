package dev.snapreel;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Host configuration read from the specification's environment variables: {@code RECORDINGS_PATH}
 * (default {@code recordings}), {@code RECORDING_RETENTION_DAYS} (default 7; under one hour only
 * with {@code RECORDING_RETENTION_ALLOW_SHORT=true}) and the
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
      boolean allowShort = Boolean.parseBoolean(
          env.getOrDefault("RECORDING_RETENTION_ALLOW_SHORT", "false").trim());
      if (retention.compareTo(RecordingService.MIN_RETENTION) < 0 && !allowShort) {
        throw new InvalidOptionException(
            "retention_days",
            "RECORDING_RETENTION_DAYS=" + days.trim()
                + " is under one hour and would delete recordings almost"
                + " as soon as they are made; set RECORDING_RETENTION_ALLOW_SHORT=true if that is really meant");
      }
    }
    return new RecordingConfig(
        Path.of(path.isBlank() ? "recordings" : path),
        RecordingOptions.fromEnvironment(env),
        retention);
  }
}
