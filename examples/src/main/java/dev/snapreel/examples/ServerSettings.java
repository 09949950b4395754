package dev.snapreel.examples;

import static java.util.Objects.requireNonNull;

import dev.snapreel.RecordingConfig;
import dev.snapreel.RecordingOptions;
import dev.snapreel.examples.auth.TokenService;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the example server runs, read from the environment: {@code PORT} (8000), {@code HOST}
 * (0.0.0.0), {@code JWT_SECRET} (none: demo mode with a generated secret and the dev token
 * endpoint), {@code MAX_FRAME_BYTES} (2 MiB), {@code MAX_ACTIVE_RECORDINGS} (8) and the
 * specification's {@code RECORDINGS_PATH}, {@code RECORDING_DEFAULT_*}, {@code RECORDING_MAX_BITRATE}
 * (no cap; bits per second, e.g. {@code 2M}), {@code
 * RECORDING_RETENTION_DAYS}.
 *
 * @param jwtSecret the HS256 secret; null generates one at startup
 * @param demoTokens whether the dev-only token endpoint is on (only sensible without a real secret)
 */
public record ServerSettings(
    String host,
    int port,
    RecordingConfig recording,
    @Nullable String jwtSecret,
    boolean demoTokens,
    long maxFrameBytes,
    int maxActiveRecordings) {

  public static final int DEFAULT_PORT = 8000;
  public static final long DEFAULT_MAX_FRAME_BYTES = 2L * 1024 * 1024;
  public static final int DEFAULT_MAX_ACTIVE_RECORDINGS = 8;

  public ServerSettings {
    requireNonNull(host, "host");
    requireNonNull(recording, "recording");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("PORT must be 0..65535, was " + port);
    }
    if (jwtSecret != null) {
      TokenService.create(jwtSecret); // fails early on a too-short secret
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("MAX_FRAME_BYTES must be at least 1024, was " + maxFrameBytes);
    }
    if (maxActiveRecordings < 1) {
      throw new IllegalArgumentException("MAX_ACTIVE_RECORDINGS must be >= 1, was " + maxActiveRecordings);
    }
  }

  public static ServerSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Reads the settings; demo tokens are on exactly when {@code JWT_SECRET} is absent. */
  public static ServerSettings fromEnvironment(Map<String, String> env) {
    String secret = blankToNull(env.get("JWT_SECRET"));
    return new ServerSettings(
        env.getOrDefault("HOST", "0.0.0.0"),
        (int) number(env, "PORT", DEFAULT_PORT),
        RecordingConfig.fromEnvironment(env),
        secret,
        secret == null,
        number(env, "MAX_FRAME_BYTES", DEFAULT_MAX_FRAME_BYTES),
        (int) number(env, "MAX_ACTIVE_RECORDINGS", DEFAULT_MAX_ACTIVE_RECORDINGS));
  }

  public ServerSettings withPort(int port) {
    return new ServerSettings(host, port, recording, jwtSecret, demoTokens, maxFrameBytes, maxActiveRecordings);
  }

  public ServerSettings withMaxFrameBytes(long bytes) {
    return new ServerSettings(host, port, recording, jwtSecret, demoTokens, bytes, maxActiveRecordings);
  }

  public ServerSettings withMaxActiveRecordings(int max) {
    return new ServerSettings(host, port, recording, jwtSecret, demoTokens, maxFrameBytes, max);
  }

  public ServerSettings withRecordingDefaults(RecordingOptions defaults) {
    return new ServerSettings(
        host, port, new RecordingConfig(recording.recordingsPath(), defaults, recording.retention()),
        jwtSecret, demoTokens, maxFrameBytes, maxActiveRecordings);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, was '" + v + "'", e);
    }
  }
}
