package dev.snapreel.metadata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.jspecify.annotations.Nullable;

/**
 * What a recording stored with status {@link RecordingStatus#UPLOAD_PENDING} gets back once its
 * upload is confirmed: its own status and error, plus the failed attempts so far.
 *
 * @param finalStatus the status the recording had when it was stored ({@code completed}, ...)
 * @param finalError its error then, if any
 * @param attempts upload attempts that failed so far
 * @since 0.1.0
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PendingUpload(
    RecordingStatus finalStatus, @Nullable String finalError, int attempts) {
  public PendingUpload {
    requireNonNull(finalStatus, "finalStatus");
    if (finalStatus == RecordingStatus.UPLOAD_PENDING || finalStatus.active()) {
      throw new IllegalArgumentException("not a final status: " + finalStatus);
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }
  }
}
