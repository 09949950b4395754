package dev.snapreel.storage.s3.internal;

import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Reads a file in slices (multipart parts) without holding more than a buffer in memory. */
public final class FileSlices {
  private FileSlices() {}

  /** Digests of a file: SHA-256 of the whole, and the base64 SHA-256 of each slice of {@code partSize}. */
  public record Digests(String sha256Hex, String sha256Base64, List<String> partSha256Base64) {}

  public static Digests digest(Path file, long partSize) throws IOException {
    MessageDigest whole = sha256();
    List<String> parts = new ArrayList<>();
    MessageDigest part = sha256();
    long inPart = 0;
    byte[] buffer = new byte[256 * 1024];
    try (InputStream in =
        Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ))) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        whole.update(buffer, 0, n);
        int off = 0;
        while (off < n) {
          int take = (int) Math.min(n - off, partSize - inPart);
          part.update(buffer, off, take);
          inPart += take;
          off += take;
          if (inPart == partSize) {
            parts.add(Base64.getEncoder().encodeToString(part.digest()));
            inPart = 0;
          }
        }
      }
    }
    if (inPart > 0 || parts.isEmpty()) {
      parts.add(Base64.getEncoder().encodeToString(part.digest()));
    }
    byte[] w = whole.digest();
    return new Digests(HexFormat.of().formatHex(w), Base64.getEncoder().encodeToString(w), parts);
  }

  /** A fresh stream over {@code [offset, offset + length)} of the file; each call opens the file again. */
  public static InputStream open(Path file, long offset, long length) throws IOException {
    return LocalStorage.openRange(file, new ByteRange(offset, length));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
