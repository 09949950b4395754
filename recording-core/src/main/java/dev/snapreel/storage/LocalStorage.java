package dev.snapreel.storage;

import static java.util.Objects.requireNonNull;

import dev.snapreel.StorageException;
import dev.snapreel.internal.Durable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Files under one root directory, created if missing. A key {@code a/b/c.mp4} is the file {@code
 * root/a/b/c.mp4}. Writes go to a temporary sibling and are moved into place atomically. Names that
 * start with a dot (temporaries, the service's {@code .inprogress} work area) are never listed.
 *
 * @since 0.1.0
 */
public final class LocalStorage implements StorageBackend {
  private final Path root;

  private LocalStorage(Path root) {
    this.root = root;
  }

  /**
   * Opens {@code range} of a local file (clamped to its size) without reading the rest: the ranged
   * read of this backend, and of backends that send parts of local files (multipart uploads).
   *
   * @throws IOException if the file cannot be opened, e.g. {@link NoSuchFileException}
   */
  public static InputStream openRange(Path file, ByteRange range) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = ch.size();
      long start = Math.min(range.offset(), size);
      ch.position(start);
      return BoundedInputStream.of(
          Channels.newInputStream(ch), Math.min(range.length(), size - start));
    } catch (IOException | RuntimeException e) {
      ch.close(); // the stream never reached the caller, who could not close it
      throw e;
    }
  }

  public static LocalStorage create(Path root) {
    requireNonNull(root, "root");
    Path absolute = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw new StorageException(
          "cannot create recordings directory " + absolute + ": " + e.getMessage(), e);
    }
    return new LocalStorage(absolute);
  }

  public Path root() {
    return root;
  }

  @Override
  public String provider() {
    return "local";
  }

  /** The file for {@code key}, guaranteed to lie inside the root. */
  public Path resolve(String key) {
    StorageKeys.requireValid(key);
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("storage key escapes the root: '" + key + "'");
    }
    return path;
  }

  @Override
  public void put(String key, Path source) {
    Path target = resolve(key);
    Path temp = tempSibling(target);
    try {
      Files.createDirectories(target.getParent());
      Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
      syncFile(temp);
      moveAtomically(temp, target);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new StorageException("cannot store " + key + ": " + e, e);
    }
  }

  @Override
  public void moveIn(String key, Path source) {
    Path target = resolve(key);
    try {
      Files.createDirectories(target.getParent());
      syncFile(source);
      moveAtomically(source, target);
    } catch (AtomicMoveNotSupportedException e) {
      put(key, source); // another file system: copy through a temporary, then drop the source
      deleteQuietly(source);
    } catch (IOException e) {
      throw new StorageException("cannot store " + key + ": " + e, e);
    }
  }

  @Override
  public void putBytes(String key, byte[] content) {
    Path target = resolve(key);
    Path temp = tempSibling(target);
    try {
      Files.createDirectories(target.getParent());
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      moveAtomically(temp, target);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new StorageException("cannot store " + key + ": " + e, e);
    }
  }

  @Override
  public Optional<byte[]> getBytes(String key) {
    Path path = resolve(key);
    try {
      return Optional.of(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + ": " + e, e);
    }
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    Path path = resolve(key);
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return a.isRegularFile()
          ? Optional.of(new StoredObject(key, a.size(), a.lastModifiedTime().toInstant()))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot stat " + key + ": " + e, e);
    }
  }

  @Override
  public InputStream open(String key, ByteRange range) {
    Path path = resolve(key);
    try {
      if (range.length() > 0) {
        long size = Files.size(path);
        if (range.offset() >= size) {
          throw new RangeNotSatisfiableException(key, range, size);
        }
      }
      return openRange(path, range);
    } catch (NoSuchFileException e) {
      throw new StorageException("no object " + key, e);
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + ": " + e, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    StorageKeys.requireValidPrefix(prefix);
    List<StoredObject> out = new ArrayList<>();
    try {
      walk(root, "", prefix, out);
    } catch (IOException e) {
      throw new StorageException("cannot list " + root + ": " + e, e);
    }
    return out;
  }

  private void walk(Path dir, String keyPrefix, String wanted, List<StoredObject> out)
      throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") || !StorageKeys.isSegment(name)) {
          continue;
        }
        String key = keyPrefix + name;
        BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class);
        if (a.isDirectory()) {
          String asDir = key + "/";
          if (asDir.startsWith(wanted) || wanted.startsWith(asDir)) {
            walk(entry, asDir, wanted, out);
          }
        } else if (a.isRegularFile() && key.startsWith(wanted)) {
          out.add(new StoredObject(key, a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    } catch (NoSuchFileException e) {
      // a directory removed while listing holds nothing
    }
  }

  @Override
  public boolean delete(String key) {
    Path path = resolve(key);
    try {
      boolean existed = Files.deleteIfExists(path);
      pruneEmptyParents(path.getParent());
      return existed;
    } catch (IOException e) {
      throw new StorageException("cannot delete " + key + ": " + e, e);
    }
  }

  private void pruneEmptyParents(@Nullable Path dir) {
    Path current = dir;
    while (current != null && !current.equals(root) && current.startsWith(root)) {
      try {
        Files.delete(current);
      } catch (IOException e) {
        return; // not empty, or gone: stop
      }
      current = current.getParent();
    }
  }

  private static Path tempSibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  /** Renames {@code from} onto {@code to}, then forces the directories whose entries changed. */
  private void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    // The new name, and any directory created for it up to the root, must survive a power cut.
    for (Path dir = to.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
      Durable.syncDirectory(dir);
      if (dir.equals(root)) {
        break;
      }
    }
    Path sourceDir = from.getParent();
    if (sourceDir != null && !sourceDir.equals(to.getParent()) && !sourceDir.startsWith(root)) {
      Durable.syncDirectory(sourceDir); // the name left the work directory
    }
  }

  private static void syncFile(Path file) throws IOException {
    Durable.syncFile(file);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort clean-up of a temporary
    }
  }

  @Override
  public String toString() {
    return "LocalStorage[" + root + "]";
  }
}
