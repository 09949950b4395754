package dev.snapreel.storage.azure.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checksums of a file read once, a buffer at a time: the MD5 of each block of {@code blockSize}
 * (sent as {@code Content-MD5} with the block, which the service verifies), and the MD5 and SHA-256
 * of the whole file (stored as the blob's {@code Content-MD5} and {@code sha256} metadata).
 */
public final class BlockDigests {
  private final byte[] md5;
  private final String sha256Hex;
  private final List<byte[]> blockMd5;

  private BlockDigests(byte[] md5, String sha256Hex, List<byte[]> blockMd5) {
    this.md5 = md5;
    this.sha256Hex = sha256Hex;
    this.blockMd5 = List.copyOf(blockMd5);
  }

  /** MD5 of the whole file. */
  public byte[] md5() {
    return md5.clone();
  }

  /** Lower-case hex SHA-256 of the whole file. */
  public String sha256Hex() {
    return sha256Hex;
  }

  public int blockCount() {
    return blockMd5.size();
  }

  /** MD5 of block {@code index} (0-based). */
  public byte[] blockMd5(int index) {
    return blockMd5.get(index).clone();
  }

  public static BlockDigests of(Path file, long blockSize) throws IOException {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize must be positive, was " + blockSize);
    }
    MessageDigest wholeMd5 = digest("MD5");
    MessageDigest wholeSha256 = digest("SHA-256");
    MessageDigest block = digest("MD5");
    List<byte[]> blocks = new ArrayList<>();
    long inBlock = 0;
    byte[] buffer = new byte[256 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        wholeMd5.update(buffer, 0, n);
        wholeSha256.update(buffer, 0, n);
        int off = 0;
        while (off < n) {
          int take = (int) Math.min(n - off, blockSize - inBlock);
          block.update(buffer, off, take);
          inBlock += take;
          off += take;
          if (inBlock == blockSize) {
            blocks.add(block.digest());
            inBlock = 0;
          }
        }
      }
    }
    if (inBlock > 0 || blocks.isEmpty()) {
      blocks.add(block.digest());
    }
    return new BlockDigests(
        wholeMd5.digest(), HexFormat.of().formatHex(wholeSha256.digest()), blocks);
  }

  /** MD5 of a small byte array (metadata documents). */
  public static byte[] md5(byte[] content) {
    return digest("MD5").digest(content);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JDK", e);
    }
  }
}
