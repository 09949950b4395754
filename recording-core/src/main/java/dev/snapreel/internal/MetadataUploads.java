package dev.snapreel.internal;

import dev.snapreel.index.RecordingIndex;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.PendingUpload;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.upload.UploadListener;
import dev.snapreel.upload.UploadingStorage;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The recording service's side of the upload pipeline: what the metadata says while a recording's
 * upload is pending, after a failed attempt, and once it is confirmed. {@link UploadingStorage} moves
 * the bytes; this listener is the only place that edits metadata because of an upload.
 */
public final class MetadataUploads implements UploadListener {
  private final boolean uploading;
  private final @Nullable RecordingIndex index;

  private MetadataUploads(boolean uploading, @Nullable RecordingIndex index) {
    this.uploading = uploading;
    this.index = index;
  }

  /** Attaches itself to {@code storage} if it is an upload pipeline. */
  public static MetadataUploads attachTo(StorageBackend storage) {
    return attachTo(storage, null);
  }

  /**
   * Attaches itself to {@code storage} if it is an upload pipeline, and tells {@code index} of the
   * metadata it changes (upload confirmed or failed).
   */
  public static MetadataUploads attachTo(StorageBackend storage, @Nullable RecordingIndex index) {
    if (storage instanceof UploadingStorage pipeline) {
      MetadataUploads uploads = new MetadataUploads(true, index);
      pipeline.attach(uploads);
      return uploads;
    }
    return new MetadataUploads(false, index);
  }

  private byte[] changed(RecordingMetadata m) {
    if (index != null) {
      try {
        index.update(m);
      } catch (RuntimeException e) {
        // the storage is the truth: a reindex restores the index
      }
    }
    return MetadataJson.toBytes(m);
  }

  /**
   * The metadata as stored: {@code upload_pending} when its video was just handed to an upload
   * pipeline, otherwise unchanged.
   */
  public RecordingMetadata asStored(RecordingMetadata metadata, boolean videoStored) {
    return uploading && videoStored && !metadata.status().active() ? pending(metadata) : metadata;
  }

  /** The recording stored locally while its upload is pending: it gets its own status back later. */
  public static RecordingMetadata pending(RecordingMetadata m) {
    if (m.status() == RecordingStatus.UPLOAD_PENDING) {
      return m;
    }
    return m.toBuilder()
        .status(RecordingStatus.UPLOAD_PENDING)
        .error(null)
        .upload(new PendingUpload(m.status(), m.error(), 0))
        .build();
  }

  /**
   * The recording once its upload is confirmed: its own status and error back (or {@code completed}
   * if it was stored pending without them).
   */
  static RecordingMetadata confirmed(RecordingMetadata m) {
    if (m.status() != RecordingStatus.UPLOAD_PENDING) {
      return m;
    }
    PendingUpload u = m.upload();
    return m.toBuilder()
        .status(u == null ? RecordingStatus.COMPLETED : u.finalStatus())
        .error(u == null ? null : u.finalError())
        .upload(null)
        .build();
  }

  @Override
  public boolean readyToUpload(String group, byte[] manifest) {
    RecordingMetadata m = parse(manifest);
    return m == null || !m.status().active();
  }

  @Override
  public Optional<byte[]> filesUploaded(String group, byte[] manifest, Remote remote) {
    RecordingMetadata m = parse(manifest);
    if (m == null) {
      return Optional.empty(); // not recording metadata: published as it is
    }
    RecordingMetadata.Builder b = confirmed(m).toBuilder();
    if (remote.contains(m.filepath())) {
      b.cloudStorage(remote.objectUrl(m.filepath()).orElse(null), remote.provider());
    }
    return Optional.of(changed(b.build()));
  }

  @Override
  public Optional<byte[]> uploadFailed(String group, byte[] manifest, int attempt, String cause) {
    RecordingMetadata m = parse(manifest);
    if (m == null || m.status() != RecordingStatus.UPLOAD_PENDING) {
      return Optional.empty();
    }
    PendingUpload u = m.upload();
    RecordingMetadata failed = m.toBuilder()
        .error("upload pending: attempt " + attempt + " failed: " + cause)
        .upload(new PendingUpload(
            u == null ? RecordingStatus.COMPLETED : u.finalStatus(),
            u == null ? null : u.finalError(),
            attempt))
        .build();
    return Optional.of(changed(failed));
  }

  @Override
  public boolean alreadyUploaded(String group, byte[] manifest, String provider) {
    RecordingMetadata m = parse(manifest);
    return m != null
        && m.status() != RecordingStatus.UPLOAD_PENDING
        && provider.equals(m.cloudStorageProvider());
  }

  private static @Nullable RecordingMetadata parse(byte[] json) {
    try {
      return MetadataJson.fromBytes(json);
    } catch (RuntimeException e) {
      return null; // not recording metadata
    }
  }
}
