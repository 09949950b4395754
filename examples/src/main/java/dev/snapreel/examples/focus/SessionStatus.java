package dev.snapreel.examples.focus;

import java.util.Locale;
import java.util.Optional;

/** Life cycle of a focus session; the wire name is the lower-case constant name. */
public enum SessionStatus {
  ACTIVE,
  COMPLETED,
  CANCELLED,
  ABANDONED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** An end status from its wire name: completed, cancelled or abandoned. */
  public static Optional<SessionStatus> endStatus(String wireName) {
    for (SessionStatus s : values()) {
      if (s != ACTIVE && s.wireName().equals(wireName)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
