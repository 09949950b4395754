package dev.snapreel.metadata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.snapreel.storage.StorageKeys;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about one recording: the specification's {@code VideoRecording} fields plus
 * owner, status, codec, times, frame counters and checksum. Serialized as snake_case JSON beside the
 * video ({@link MetadataJson}); immutable.
 *
 * <p>{@code filepath} is the video's storage key (relative, e.g. {@code
 * alice/s1/session_s1_20261125_101500_123.mp4}), never an absolute server path. {@code upload} is
 * set only while the status is {@link RecordingStatus#UPLOAD_PENDING}.
 *
 * <p>Made with {@link #builder()} or changed through {@link #toBuilder()}.
 *
 * @since 0.1.0
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
    @Nullable String error,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable PendingUpload upload,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable StopReason stopReason) {

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

  /** Storage key of the metadata JSON: the video's key with {@code .json} for its extension ({@link StorageKeys#manifestKeyFor}). */
  public String metadataKey() {
    return StorageKeys.manifestKeyFor(filepath);
  }

  /** A builder for a new recording's metadata; the identity fields and {@code createdAt} are required. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link RecordingMetadata}; fields not set keep their value (zero or null when new). */
  public static final class Builder {
    private @Nullable String recordingId;
    private @Nullable String sessionId;
    private @Nullable String ownerId;
    private @Nullable String filename;
    private @Nullable String filepath;
    private RecordingStatus status = RecordingStatus.RECORDING;
    private @Nullable String codec;
    private double fps;
    private int resolutionWidth;
    private int resolutionHeight;
    private double durationSeconds;
    private long frameCount;
    private long fileSizeBytes;
    private @Nullable String sha256;
    private @Nullable String cloudStorageUrl;
    private @Nullable String cloudStorageProvider;
    private @Nullable Instant createdAt;
    private @Nullable Instant startedAt;
    private @Nullable Instant endedAt;
    private long framesReceived;
    private long framesDropped;
    private long framesDuplicated;
    private long framesRejected;
    private @Nullable String error;
    private @Nullable PendingUpload upload;
    private @Nullable StopReason stopReason;

    private Builder() {}

    private Builder(RecordingMetadata m) {
      recordingId = m.recordingId;
      sessionId = m.sessionId;
      ownerId = m.ownerId;
      filename = m.filename;
      filepath = m.filepath;
      status = m.status;
      codec = m.codec;
      fps = m.fps;
      resolutionWidth = m.resolutionWidth;
      resolutionHeight = m.resolutionHeight;
      durationSeconds = m.durationSeconds;
      frameCount = m.frameCount;
      fileSizeBytes = m.fileSizeBytes;
      sha256 = m.sha256;
      cloudStorageUrl = m.cloudStorageUrl;
      cloudStorageProvider = m.cloudStorageProvider;
      createdAt = m.createdAt;
      startedAt = m.startedAt;
      endedAt = m.endedAt;
      framesReceived = m.framesReceived;
      framesDropped = m.framesDropped;
      framesDuplicated = m.framesDuplicated;
      framesRejected = m.framesRejected;
      error = m.error;
      upload = m.upload;
      stopReason = m.stopReason;
    }

    /** Why the recording stopped; null while it records, and for recovered recordings. */
    public Builder stopReason(@Nullable StopReason v) {
      this.stopReason = v;
      return this;
    }

    /** Identity: recording id, owner, session, and the video's file name and storage key. */
    public Builder identity(
        String recordingId, String ownerId, String sessionId, String filename, String filepath) {
      this.recordingId = requireNonNull(recordingId, "recordingId");
      this.ownerId = requireNonNull(ownerId, "ownerId");
      this.sessionId = requireNonNull(sessionId, "sessionId");
      this.filename = requireNonNull(filename, "filename");
      this.filepath = requireNonNull(filepath, "filepath");
      return this;
    }

    /** What is recorded: codec, frame rate and frame size. */
    public Builder format(String codec, double fps, int width, int height) {
      this.codec = requireNonNull(codec, "codec");
      this.fps = fps;
      this.resolutionWidth = width;
      this.resolutionHeight = height;
      return this;
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

    public Builder createdAt(Instant v) {
      this.createdAt = requireNonNull(v, "createdAt");
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

    public Builder upload(@Nullable PendingUpload v) {
      this.upload = v;
      return this;
    }

    /**
     * Builds the metadata.
     *
     * @throws NullPointerException if identity, format or {@code createdAt} was not set
     */
    public RecordingMetadata build() {
      return new RecordingMetadata(
          requireNonNull(recordingId, "recordingId"),
          requireNonNull(sessionId, "sessionId"),
          requireNonNull(ownerId, "ownerId"),
          requireNonNull(filename, "filename"),
          requireNonNull(filepath, "filepath"),
          status,
          requireNonNull(codec, "codec"),
          fps,
          resolutionWidth,
          resolutionHeight,
          durationSeconds,
          frameCount,
          fileSizeBytes,
          sha256,
          cloudStorageUrl,
          cloudStorageProvider,
          requireNonNull(createdAt, "createdAt"),
          startedAt,
          endedAt,
          framesReceived,
          framesDropped,
          framesDuplicated,
          framesRejected,
          error,
          upload,
          stopReason);
    }
  }
}
