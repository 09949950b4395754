package dev.snapreel.upload;

import java.util.Optional;

/**
 * The owner of the manifests (the recording service, whose manifests are the metadata JSON files)
 * decides what they say; {@link UploadingStorage} only moves bytes and reports what happened. A
 * group is the set of objects sharing one manifest key ({@code a/b/x.mp4} and {@code a/b/x.json}).
 * Every method is called with the group's lock held and must not write to the storage itself.
 *
 * @since 0.1.0
 */
public interface UploadListener {
  /**
   * Whether the group may be uploaded now. False leaves it local until it is written again, e.g.
   * while the recording it belongs to is in progress. Default: true.
   */
  default boolean readyToUpload(String group, byte[] manifest) {
    return true;
  }

  /**
   * The group's files are uploaded and confirmed (size and SHA-256). Returns the manifest to publish
   * (to the remote, and locally when the local copy is kept) in place of the stored one, or empty
   * to publish the stored one as it is. Default: empty.
   */
  default Optional<byte[]> filesUploaded(String group, byte[] manifest, Remote remote) {
    return Optional.empty();
  }

  /**
   * Upload attempt {@code attempt} (1-based) failed and will be retried. Returns a replacement for
   * the local manifest that records it, or empty to leave it. Default: empty.
   */
  default Optional<byte[]> uploadFailed(String group, byte[] manifest, int attempt, String cause) {
    return Optional.empty();
  }

  /**
   * At start-up with local copies kept: whether the manifest says its group was already uploaded to
   * the store named {@code provider}, so it need not be checked again. Default: false.
   */
  default boolean alreadyUploaded(String group, byte[] manifest, String provider) {
    return false;
  }

  /** Publishes every manifest as it is stored. */
  static UploadListener none() {
    return new UploadListener() {};
  }

  /** What the remote holds, as far as a listener needs to know. */
  interface Remote {
    /** The remote's provider name, e.g. {@code s3}. */
    String provider();

    /** Whether the remote holds {@code key}. */
    boolean contains(String key);

    /** The remote's stable URL of {@code key}, if it names its objects by URL. */
    Optional<String> objectUrl(String key);
  }
}
