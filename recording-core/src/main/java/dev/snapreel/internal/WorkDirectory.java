package dev.snapreel.internal;

import dev.snapreel.EncoderException;
import dev.snapreel.StorageException;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's local scratch area: per recording {@code ID.json} (metadata, for recovery), {@code
 * ID.partial.mp4} (what the encoder is writing) and {@code ID.mp4} (the finalized file before it is
 * stored). Locked while a service uses it, so two services never recover each other's live files.
 */
public final class WorkDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkDirectory.class);

  /** Size and SHA-256 of a file. */
  public record FileFacts(long size, String sha256) {}

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private WorkDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  public static WorkDirectory open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    FileChannel channel = null;
    try {
      Files.createDirectories(root);
      channel = FileChannel.open(
          root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new StorageException("work directory " + root + " is in use by another process");
      }
      return new WorkDirectory(root, channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new StorageException(
          "work directory " + root + " is in use by another service in this JVM", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StorageException("cannot use work directory " + root + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public Path root() {
    return root;
  }

  public Path partialFile(String recordingId) {
    return root.resolve(recordingId + ".partial.mp4");
  }

  public Path finalFile(String recordingId) {
    return root.resolve(recordingId + ".mp4");
  }

  private Path metadataFile(String recordingId) {
    return root.resolve(recordingId + ".json");
  }

  public void saveMetadata(RecordingMetadata metadata) {
    Path target = metadataFile(metadata.recordingId());
    Path temp = root.resolve("." + metadata.recordingId() + ".json.tmp");
    try {
      // Recovery after a crash depends on this file: durable before and after the rename.
      Durable.write(temp, target, MetadataJson.toBytes(metadata));
    } catch (IOException e) {
      throw new StorageException("cannot write to work directory " + root + ": " + e, e);
    }
  }

  /** Metadata of recordings a previous process did not finish. */
  public List<RecordingMetadata> leftovers() {
    List<RecordingMetadata> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(root, "*.json")) {
      for (Path file : files) {
        try {
          out.add(MetadataJson.fromBytes(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
          log.warn("ignoring unreadable work file {}: {}", file, e.toString());
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot list work directory " + root + ": " + e, e);
    }
    return out;
  }

  /**
   * Makes {@link #finalFile} from the partial file through the sink's recovery. Returns the frames
   * recovered, or -1 if there is nothing recoverable.
   */
  public long recoverInto(FrameSink sink, String recordingId, EncodingSpec spec) {
    Path partial = partialFile(recordingId);
    try {
      if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
        return -1;
      }
      return sink.recover(partial, finalFile(recordingId), spec);
    } catch (EncoderException e) {
      log.warn("recording {}: partial file not recoverable: {}", recordingId, e.getMessage());
      return -1;
    } catch (IOException e) {
      throw new StorageException("cannot read " + partial + ": " + e, e);
    }
  }

  public Instant lastModified(String recordingId) {
    try {
      Path partial = partialFile(recordingId);
      Path file = Files.exists(partial) ? partial : metadataFile(recordingId);
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.now();
    }
  }

  /** Deletes a recording's work files. */
  public void discard(String recordingId) {
    for (Path p :
        List.of(partialFile(recordingId), finalFile(recordingId), metadataFile(recordingId))) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        log.warn("cannot delete work file {}: {}", p, e.toString());
      }
    }
  }

  public static FileFacts facts(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Sha256.Result digest = Sha256.of(in);
      return new FileFacts(digest.size(), digest.hex());
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      log.debug("releasing work directory lock: {}", e.toString());
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }
}
