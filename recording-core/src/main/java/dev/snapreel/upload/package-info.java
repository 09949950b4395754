/**
 * Local-first upload pipeline: {@link dev.snapreel.upload.UploadingStorage} stores every recording on
 * local disk first (crash-safe), uploads it in the background to a remote {@link
 * dev.snapreel.storage.StorageBackend} (S3 or any other) with retries, and keeps the local copy until
 * the remote copy is confirmed by size and SHA-256.
 */
@NullMarked
package dev.snapreel.upload;

import org.jspecify.annotations.NullMarked;
