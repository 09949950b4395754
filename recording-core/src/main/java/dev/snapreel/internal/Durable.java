package dev.snapreel.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Writes that survive a power cut: file contents are forced to disk before the rename that
 * publishes them, and the directory is forced after it, so neither the data nor the new name can
 * be lost once the call returns (ext4/xfs with default options need both).
 */
public final class Durable {
  /** Test hook: told {@code "file <path>"} / {@code "dir <path>"} for each fsync, in order. */
  static volatile @Nullable Consumer<String> observer;

  private Durable() {}

  /** Writes {@code content} to {@code temp}, forces it, moves it onto {@code target}, forces the directory. */
  public static void write(Path temp, Path target, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(
        temp,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    notify("file", temp);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /** Forces a file's contents and metadata to disk. */
  public static void syncFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    notify("file", file);
  }

  /**
   * Forces a directory's entries to disk, so a rename or create inside it is durable. A file
   * system that cannot open directories for sync (not Linux) is left as it is.
   */
  public static void syncDirectory(@Nullable Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
      return; // e.g. Windows: directories cannot be opened; NTFS journals renames itself
    }
    notify("dir", dir);
  }

  private static void notify(String kind, Path p) {
    Consumer<String> o = observer;
    if (o != null) {
      o.accept(kind + " " + p.toAbsolutePath().normalize());
    }
  }
}
