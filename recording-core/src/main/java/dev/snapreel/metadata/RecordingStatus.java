package dev.snapreel.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Life cycle of a recording, written in JSON in lower case.
 *
 * @since 0.1.0
 */
public enum RecordingStatus {
  /** Frames are being written. */
  RECORDING,
  /** Stopped; the encoder is flushing and the file is being finalized and stored. */
  FINALIZING,
  /** Finalized and stored. */
  COMPLETED,
  /** Encoding or storing failed; {@code error} says why. Whatever could be kept was kept. */
  FAILED,
  /** The process died while recording; the partial file was recovered at the next start. */
  RECOVERED,
  /**
   * Stored locally and waiting for (or retrying) its upload to the remote store; readable from this
   * host meanwhile. {@link RecordingMetadata#upload()} holds the status it gets back once the upload
   * is confirmed.
   */
  UPLOAD_PENDING;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RecordingStatus fromWireName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  /** True while the writer still owns the recording. */
  public boolean active() {
    return this == RECORDING || this == FINALIZING;
  }
}
