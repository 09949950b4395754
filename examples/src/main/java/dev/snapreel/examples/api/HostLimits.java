package dev.snapreel.examples.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one user or one connection may take from the example host, so nobody takes the service from
 * the others: open focus sessions and WebSocket connections per user ({@code 429} beyond), frames per
 * second per connection (the excess gets an error and is not decoded), the largest frame in pixels
 * (checked on every JPEG frame header before any decoding) and how long one detection may take.
 *
 * @param maxOpenSessionsPerUser {@code MAX_USER_FOCUS_SESSIONS}: active focus sessions per user
 * @param maxSocketsPerUser {@code MAX_USER_SOCKETS}: open WebSocket connections per user
 * @param maxFramesPerSecond {@code MAX_SOCKET_FPS}: frames per second per connection (1 s burst)
 * @param maxFramePixels {@code MAX_FRAME_PIXELS}: largest frame, for the recording and the detector
 * @param detectionTimeout {@code DETECTION_TIMEOUT_MS}: longest wait for one detection
 * @param endedSessionRetention how long an ended focus session stays visible before it is evicted
 * @param maxUserActiveRecordings {@code MAX_USER_ACTIVE_RECORDINGS}: active recordings per user
 * @param maxRecordingDuration {@code MAX_RECORDING_SECONDS}: a recording ends by itself there
 * @param idleStop {@code RECORDING_IDLE_STOP_SECONDS}: a recording without snapshots that long ends
 */
public record HostLimits(
    int maxOpenSessionsPerUser,
    int maxSocketsPerUser,
    double maxFramesPerSecond,
    long maxFramePixels,
    Duration detectionTimeout,
    Duration endedSessionRetention,
    int maxUserActiveRecordings,
    Duration maxRecordingDuration,
    Duration idleStop) {

  public static final int DEFAULT_MAX_OPEN_SESSIONS_PER_USER = 10;
  public static final int DEFAULT_MAX_SOCKETS_PER_USER = 4;
  /** Twice the specification's 5 FPS, so a client running a little fast is never refused. */
  public static final double DEFAULT_MAX_FRAMES_PER_SECOND = 10;
  /** 4K UHD: the largest recording resolution; a camera snapshot is never bigger. */
  public static final long DEFAULT_MAX_FRAME_PIXELS = 3840L * 2160L;

  public static final Duration DEFAULT_DETECTION_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_ENDED_SESSION_RETENTION = Duration.ofHours(1);

  public HostLimits {
    requireNonNull(detectionTimeout, "detectionTimeout");
    requireNonNull(endedSessionRetention, "endedSessionRetention");
    if (maxOpenSessionsPerUser < 1) {
      throw new IllegalArgumentException(
          "MAX_USER_FOCUS_SESSIONS must be >= 1, was " + maxOpenSessionsPerUser);
    }
    if (maxSocketsPerUser < 1) {
      throw new IllegalArgumentException("MAX_USER_SOCKETS must be >= 1, was " + maxSocketsPerUser);
    }
    if (!(maxFramesPerSecond > 0) || Double.isInfinite(maxFramesPerSecond)) {
      throw new IllegalArgumentException(
          "MAX_SOCKET_FPS must be a positive number, was " + maxFramesPerSecond);
    }
    if (maxFramePixels < 1) {
      throw new IllegalArgumentException("MAX_FRAME_PIXELS must be >= 1, was " + maxFramePixels);
    }
    if (detectionTimeout.isNegative() || detectionTimeout.isZero()) {
      throw new IllegalArgumentException(
          "DETECTION_TIMEOUT_MS must be positive, was " + detectionTimeout);
    }
    if (endedSessionRetention.isNegative()) {
      throw new IllegalArgumentException("endedSessionRetention must not be negative");
    }
    requireNonNull(maxRecordingDuration, "maxRecordingDuration");
    requireNonNull(idleStop, "idleStop");
    if (maxUserActiveRecordings < 1) {
      throw new IllegalArgumentException(
          "MAX_USER_ACTIVE_RECORDINGS must be >= 1, was " + maxUserActiveRecordings);
    }
    if (maxRecordingDuration.isNegative() || maxRecordingDuration.isZero()) {
      throw new IllegalArgumentException(
          "MAX_RECORDING_SECONDS must be positive, was " + maxRecordingDuration.toSeconds());
    }
    if (idleStop.isNegative() || idleStop.isZero()) {
      throw new IllegalArgumentException(
          "RECORDING_IDLE_STOP_SECONDS must be positive, was " + idleStop.toSeconds());
    }
  }

  public static HostLimits defaults() {
    return new HostLimits(
        DEFAULT_MAX_OPEN_SESSIONS_PER_USER,
        DEFAULT_MAX_SOCKETS_PER_USER,
        DEFAULT_MAX_FRAMES_PER_SECOND,
        DEFAULT_MAX_FRAME_PIXELS,
        DEFAULT_DETECTION_TIMEOUT,
        DEFAULT_ENDED_SESSION_RETENTION,
        dev.snapreel.RecordingService.DEFAULT_MAX_USER_ACTIVE_RECORDINGS,
        dev.snapreel.RecordingService.DEFAULT_MAX_RECORDING_DURATION,
        dev.snapreel.RecordingService.DEFAULT_IDLE_STOP);
  }

  public HostLimits withMaxOpenSessionsPerUser(int max) {
    return new HostLimits(
        max,
        maxSocketsPerUser,
        maxFramesPerSecond,
        maxFramePixels,
        detectionTimeout,
        endedSessionRetention,
        maxUserActiveRecordings,
        maxRecordingDuration,
        idleStop);
  }

  public HostLimits withMaxSocketsPerUser(int max) {
    return new HostLimits(
        maxOpenSessionsPerUser,
        max,
        maxFramesPerSecond,
        maxFramePixels,
        detectionTimeout,
        endedSessionRetention,
        maxUserActiveRecordings,
        maxRecordingDuration,
        idleStop);
  }

  public HostLimits withMaxFramesPerSecond(double fps) {
    return new HostLimits(
        maxOpenSessionsPerUser,
        maxSocketsPerUser,
        fps,
        maxFramePixels,
        detectionTimeout,
        endedSessionRetention,
        maxUserActiveRecordings,
        maxRecordingDuration,
        idleStop);
  }

  public HostLimits withMaxFramePixels(long pixels) {
    return new HostLimits(
        maxOpenSessionsPerUser,
        maxSocketsPerUser,
        maxFramesPerSecond,
        pixels,
        detectionTimeout,
        endedSessionRetention,
        maxUserActiveRecordings,
        maxRecordingDuration,
        idleStop);
  }

  public HostLimits withDetectionTimeout(Duration timeout) {
    return new HostLimits(
        maxOpenSessionsPerUser,
        maxSocketsPerUser,
        maxFramesPerSecond,
        maxFramePixels,
        timeout,
        endedSessionRetention,
        maxUserActiveRecordings,
        maxRecordingDuration,
        idleStop);
  }

  public HostLimits withMaxUserActiveRecordings(int max) {
    return new HostLimits(
        maxOpenSessionsPerUser,
        maxSocketsPerUser,
        maxFramesPerSecond,
        maxFramePixels,
        detectionTimeout,
        endedSessionRetention,
        max,
        maxRecordingDuration,
        idleStop);
  }

  public HostLimits withMaxRecordingDuration(Duration max) {
    return new HostLimits(
        maxOpenSessionsPerUser,
        maxSocketsPerUser,
        maxFramesPerSecond,
        maxFramePixels,
        detectionTimeout,
        endedSessionRetention,
        maxUserActiveRecordings,
        max,
        idleStop);
  }

  public HostLimits withIdleStop(Duration idle) {
    return new HostLimits(
        maxOpenSessionsPerUser,
        maxSocketsPerUser,
        maxFramesPerSecond,
        maxFramePixels,
        detectionTimeout,
        endedSessionRetention,
        maxUserActiveRecordings,
        maxRecordingDuration,
        idle);
  }
}
