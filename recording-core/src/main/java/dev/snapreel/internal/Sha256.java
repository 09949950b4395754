package dev.snapreel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex SHA-256 of a stream: the checksum recorded as {@code sha256} and checked on upload. */
public final class Sha256 {
  private Sha256() {}

  /** Reads {@code in} to its end; does not close it. Returns the digest and the bytes read. */
  public static Result of(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    byte[] buffer = new byte[1 << 16];
    long size = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
      size += n;
    }
    return new Result(HexFormat.of().formatHex(digest.digest()), size);
  }

  /** A digest and the number of bytes it covers. */
  public record Result(String hex, long size) {}
}
