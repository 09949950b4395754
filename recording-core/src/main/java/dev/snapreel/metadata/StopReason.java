package dev.snapreel.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a recording stopped, written in JSON as {@code stop_reason} in lower case.
 *
 * @since 0.1.0
 */
public enum StopReason {
  /** The caller stopped it. */
  REQUESTED,
  /** It reached the service's maximum recording duration. */
  MAX_DURATION,
  /** No snapshot arrived for the service's idle-stop time. */
  IDLE,
  /** The owner's stored and recording bytes reached the service's per-owner quota. */
  QUOTA,
  /** The service was closed while it was recording. */
  SHUTDOWN;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static StopReason fromWireName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
