package dev.snapreel.examples;

import static java.util.Objects.requireNonNull;

import dev.snapreel.RecordingConfig;
import dev.snapreel.RecordingOptions;
import dev.snapreel.examples.api.HostLimits;
import dev.snapreel.examples.auth.TokenService;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How the example server runs, read from the environment: {@code PORT} (8000), {@code HOST}
 * (0.0.0.0 with {@code JWT_SECRET}, 127.0.0.1 without), {@code JWT_SECRET} (none: demo mode with a
 * generated secret and the dev token endpoint, loopback only), {@code MAX_FRAME_BYTES} (2 MiB), {@code
 * MAX_ACTIVE_RECORDINGS} (8), {@code MAX_USER_STORAGE_BYTES} (per-user quota; none by default) and the
 * specification's {@code RECORDINGS_PATH}, {@code RECORDING_DEFAULT_*}, {@code RECORDING_MAX_BITRATE}
 * (no cap; bits per second, e.g. {@code 2M}), {@code RECORDING_RETENTION_DAYS}; per-user and
 * per-connection limits are {@link HostLimits}.
 *
 * @param jwtSecret the HS256 secret; null generates one at startup
 * @param demoTokens whether the dev-only token endpoint is on (only sensible without a real secret)
 * @param maxUserStorageBytes per-user storage quota; {@link Long#MAX_VALUE} for none
 */
public record ServerSettings(
    String host,
    int port,
    RecordingConfig recording,
    @Nullable String jwtSecret,
    boolean demoTokens,
    long maxFrameBytes,
    int maxActiveRecordings,
    HostLimits limits,
    long maxUserStorageBytes) {

  public static final int DEFAULT_PORT = 8000;
  public static final long DEFAULT_MAX_FRAME_BYTES = 2L * 1024 * 1024;
  public static final int DEFAULT_MAX_ACTIVE_RECORDINGS = 8;

  /** Where the server listens when {@code HOST} is not set and a real {@code JWT_SECRET} is. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** Where the server listens in demo mode: anyone who can reach it can mint tokens for anyone. */
  public static final String DEMO_HOST = "127.0.0.1";

  public ServerSettings {
    requireNonNull(host, "host");
    requireNonNull(recording, "recording");
    requireNonNull(limits, "limits");
    if ((jwtSecret == null || demoTokens) && !isLoopback(host)) {
      throw new IllegalArgumentException("refusing to listen on HOST=" + host
          + " in demo mode: without JWT_SECRET anyone who can reach"
          + " the server can mint a token for any user (GET /api/dev/token) and read or delete every"
          + " recording. Set JWT_SECRET (at least " + TokenService.MIN_SECRET_BYTES
          + " bytes) to listen"
          + " on the network, or leave HOST unset to listen on " + DEMO_HOST + " only.");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("PORT must be 0..65535, was " + port);
    }
    if (jwtSecret != null) {
      TokenService.create(jwtSecret); // fails early on a too-short secret
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException(
          "MAX_FRAME_BYTES must be at least 1024, was " + maxFrameBytes);
    }
    if (maxActiveRecordings < 1) {
      throw new IllegalArgumentException(
          "MAX_ACTIVE_RECORDINGS must be >= 1, was " + maxActiveRecordings);
    }
    if (maxUserStorageBytes < 1) {
      throw new IllegalArgumentException(
          "MAX_USER_STORAGE_BYTES must be >= 1, was " + maxUserStorageBytes);
    }
  }

  /** Settings with the default {@link HostLimits} and no storage quota. */
  public ServerSettings(
      String host,
      int port,
      RecordingConfig recording,
      @Nullable String jwtSecret,
      boolean demoTokens,
      long maxFrameBytes,
      int maxActiveRecordings) {
    this(
        host,
        port,
        recording,
        jwtSecret,
        demoTokens,
        maxFrameBytes,
        maxActiveRecordings,
        HostLimits.defaults(),
        Long.MAX_VALUE);
  }

  public static ServerSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Reads the settings; demo tokens are on exactly when {@code JWT_SECRET} is absent. */
  public static ServerSettings fromEnvironment(Map<String, String> env) {
    String secret = blankToNull(env.get("JWT_SECRET"));
    String host = blankToNull(env.get("HOST"));
    return new ServerSettings(
        host != null ? host.trim() : secret == null ? DEMO_HOST : DEFAULT_HOST,
        (int) number(env, "PORT", DEFAULT_PORT),
        RecordingConfig.fromEnvironment(env),
        secret,
        secret == null,
        number(env, "MAX_FRAME_BYTES", DEFAULT_MAX_FRAME_BYTES),
        (int) number(env, "MAX_ACTIVE_RECORDINGS", DEFAULT_MAX_ACTIVE_RECORDINGS),
        limitsFromEnvironment(env),
        number(env, "MAX_USER_STORAGE_BYTES", Long.MAX_VALUE));
  }

  public ServerSettings withPort(int port) {
    return new ServerSettings(
        host,
        port,
        recording,
        jwtSecret,
        demoTokens,
        maxFrameBytes,
        maxActiveRecordings,
        limits,
        maxUserStorageBytes);
  }

  public ServerSettings withMaxFrameBytes(long bytes) {
    return new ServerSettings(
        host,
        port,
        recording,
        jwtSecret,
        demoTokens,
        bytes,
        maxActiveRecordings,
        limits,
        maxUserStorageBytes);
  }

  public ServerSettings withMaxActiveRecordings(int max) {
    return new ServerSettings(
        host,
        port,
        recording,
        jwtSecret,
        demoTokens,
        maxFrameBytes,
        max,
        limits,
        maxUserStorageBytes);
  }

  public ServerSettings withMaxUserStorageBytes(long bytes) {
    return new ServerSettings(
        host,
        port,
        recording,
        jwtSecret,
        demoTokens,
        maxFrameBytes,
        maxActiveRecordings,
        limits,
        bytes);
  }

  public ServerSettings withRecordingDefaults(RecordingOptions defaults) {
    return new ServerSettings(
        host,
        port,
        new RecordingConfig(recording.recordingsPath(), defaults, recording.retention()),
        jwtSecret,
        demoTokens,
        maxFrameBytes,
        maxActiveRecordings,
        limits,
        maxUserStorageBytes);
  }

  public ServerSettings withLimits(HostLimits limits) {
    return new ServerSettings(
        host,
        port,
        recording,
        jwtSecret,
        demoTokens,
        maxFrameBytes,
        maxActiveRecordings,
        limits,
        maxUserStorageBytes);
  }

  /**
   * {@code MAX_USER_FOCUS_SESSIONS} (10), {@code MAX_USER_SOCKETS} (4), {@code MAX_SOCKET_FPS}
   * (10), {@code MAX_FRAME_PIXELS} (3840x2160), {@code DETECTION_TIMEOUT_MS} (2000), {@code
   * MAX_USER_ACTIVE_RECORDINGS} (2), {@code MAX_RECORDING_SECONDS} (14400) and {@code
   * RECORDING_IDLE_STOP_SECONDS} (120).
   */
  public static HostLimits limitsFromEnvironment(Map<String, String> env) {
    HostLimits d = HostLimits.defaults();
    return new HostLimits(
        (int) number(env, "MAX_USER_FOCUS_SESSIONS", d.maxOpenSessionsPerUser()),
        (int) number(env, "MAX_USER_SOCKETS", d.maxSocketsPerUser()),
        decimal(env, "MAX_SOCKET_FPS", d.maxFramesPerSecond()),
        number(env, "MAX_FRAME_PIXELS", d.maxFramePixels()),
        Duration.ofMillis(
            number(env, "DETECTION_TIMEOUT_MS", d.detectionTimeout().toMillis())),
        d.endedSessionRetention(),
        (int) number(env, "MAX_USER_ACTIVE_RECORDINGS", d.maxUserActiveRecordings()),
        Duration.ofSeconds(
            number(env, "MAX_RECORDING_SECONDS", d.maxRecordingDuration().toSeconds())),
        Duration.ofSeconds(
            number(env, "RECORDING_IDLE_STOP_SECONDS", d.idleStop().toSeconds())));
  }

  /**
   * Whether {@code host} names only this machine: {@code localhost}, 127.0.0.0/8 or {@code ::1}.
   * Names are not resolved (a DNS answer must not decide whether the demo is exposed).
   */
  static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(Character::isDigit)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static double decimal(Map<String, String> env, String name, double fallback) {
    return parsed(env, name, fallback, Double::parseDouble, "a number");
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    return parsed(env, name, fallback, Long::parseLong, "an integer");
  }

  /** The variable {@code name} parsed, {@code fallback} when it is unset or blank. */
  private static <T> T parsed(
      Map<String, String> env, String name, T fallback, Function<String, T> parse, String kind) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return fallback;
    }
    try {
      return parse.apply(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be " + kind + ", was '" + v + "'", e);
    }
  }
}
