package dev.snapreel.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Life cycle of a recording, written in JSON in lower case. */
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
   * host meanwhile. Set and cleared by {@code dev.snapreel.upload.UploadingStorage}.
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
