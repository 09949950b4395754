package dev.snapreel.metadata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about one recording: the specification's {@code VideoRecording} fields plus
 * owner, status, codec, times, frame counters and checksum. Serialized as snake_case JSON beside the
 * video ({@link MetadataJson}); immutable, changed through {@link #toBuilder()}.
 *
 * <p>{@code filepath} is the video's storage key (relative, e.g. {@code
 * alice/s1/session_s1_20261125_101500_123.mp4}), never an absolute server path.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecordingMetadata(
    String recordingId,
    String sessionId,
    String ownerId,
    String filename,
    String filepath,
    RecordingStatus status,
    String codec,
    double fps,
    int resolutionWidth,
    int resolutionHeight,
    double durationSeconds,
    long frameCount,
    long fileSizeBytes,
    @Nullable String sha256,
    @Nullable String cloudStorageUrl,
    @Nullable String cloudStorageProvider,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant endedAt,
    long framesReceived,
    long framesDropped,
    long framesDuplicated,
    long framesRejected,
    @Nullable String error) {

  public RecordingMetadata {
    requireNonNull(recordingId, "recordingId");
    requireNonNull(sessionId, "sessionId");
    requireNonNull(ownerId, "ownerId");
    requireNonNull(filename, "filename");
    requireNonNull(filepath, "filepath");
    requireNonNull(status, "status");
    requireNonNull(codec, "codec");
    requireNonNull(createdAt, "createdAt");
  }

  /** Storage key of the metadata JSON: the video's key with {@code .json} for its extension. */
  public String metadataKey() {
    return metadataKeyFor(filepath);
  }

  public static String metadataKeyFor(String videoKey) {
    int dot = videoKey.lastIndexOf('.');
    int slash = videoKey.lastIndexOf('/');
    return (dot > slash ? videoKey.substring(0, dot) : videoKey) + ".json";
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copy-and-modify builder; fields not set keep their value. */
  public static final class Builder {
    private final RecordingMetadata m;
    private RecordingStatus status;
    private double durationSeconds;
    private long frameCount;
    private long fileSizeBytes;
    private @Nullable String sha256;
    private @Nullable String cloudStorageUrl;
    private @Nullable String cloudStorageProvider;
    private @Nullable Instant startedAt;
    private @Nullable Instant endedAt;
    private long framesReceived;
    private long framesDropped;
    private long framesDuplicated;
    private long framesRejected;
    private @Nullable String error;

    private Builder(RecordingMetadata m) {
      this.m = m;
      status = m.status;
      durationSeconds = m.durationSeconds;
      frameCount = m.frameCount;
      fileSizeBytes = m.fileSizeBytes;
      sha256 = m.sha256;
      cloudStorageUrl = m.cloudStorageUrl;
      cloudStorageProvider = m.cloudStorageProvider;
      startedAt = m.startedAt;
      endedAt = m.endedAt;
      framesReceived = m.framesReceived;
      framesDropped = m.framesDropped;
      framesDuplicated = m.framesDuplicated;
      framesRejected = m.framesRejected;
      error = m.error;
    }

    public Builder status(RecordingStatus status) {
      this.status = requireNonNull(status, "status");
      return this;
    }

    public Builder durationSeconds(double v) {
      this.durationSeconds = v;
      return this;
    }

    public Builder frameCount(long v) {
      this.frameCount = v;
      return this;
    }

    public Builder fileSizeBytes(long v) {
      this.fileSizeBytes = v;
      return this;
    }

    public Builder sha256(@Nullable String v) {
      this.sha256 = v;
      return this;
    }

    public Builder cloudStorage(@Nullable String url, @Nullable String provider) {
      this.cloudStorageUrl = url;
      this.cloudStorageProvider = provider;
      return this;
    }

    public Builder startedAt(@Nullable Instant v) {
      this.startedAt = v;
      return this;
    }

    public Builder endedAt(@Nullable Instant v) {
      this.endedAt = v;
      return this;
    }

    public Builder counters(long received, long dropped, long duplicated, long rejected) {
      this.framesReceived = received;
      this.framesDropped = dropped;
      this.framesDuplicated = duplicated;
      this.framesRejected = rejected;
      return this;
    }

    public Builder error(@Nullable String v) {
      this.error = v;
      return this;
    }

    public RecordingMetadata build() {
      return new RecordingMetadata(
          m.recordingId, m.sessionId, m.ownerId, m.filename, m.filepath, status, m.codec, m.fps,
          m.resolutionWidth, m.resolutionHeight, durationSeconds, frameCount, fileSizeBytes, sha256,
          cloudStorageUrl, cloudStorageProvider, m.createdAt, startedAt, endedAt, framesReceived,
          framesDropped, framesDuplicated, framesRejected, error);
    }
  }
}
