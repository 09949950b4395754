package dev.snapreel.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.storage.StoredObject;
import dev.snapreel.testkit.Azurite;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files are uploaded block by block from disk, never held in memory whole: a 192 MiB recording goes
 * up from a child JVM whose heap is 64 MiB, and comes back identical.
 */
class LargeUploadMemoryTest {
  private static final int MEBIBYTES = 192;

  @TempDir
  Path dir;

  @Test
  void aFileThreeTimesTheHeapIsUploadedFromA64MiBHeap() throws Exception {
    Path file = dir.resolve("large.mp4");
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1024 * 1024];
    Random random = new Random(3);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < MEBIBYTES; i++) {
        random.nextBytes(block);
        sha256.update(block);
        out.write(block);
      }
    }
    String expected = HexFormat.of().formatHex(sha256.digest());

    try (Azurite azurite = Azurite.start(dir.resolve("azurite"))) {
      String classpath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      Path log = dir.resolve("child.log");
      Process child = new ProcessBuilder(List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx64m",
              "-XX:+ExitOnOutOfMemoryError",
              "-cp",
              classpath,
              Upload.class.getName(),
              azurite.connectionString(),
              file.toString()))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
      assertThat(child.exitValue()).as(Files.readString(log)).isZero();

      try (AzureBlobStorage storage = AzureBlobStorage.builder()
          .connectionString(azurite.connectionString())
          .container("memory")
          .build()) {
        assertThat(storage.stat("big/v.mp4"))
            .get()
            .extracting(StoredObject::size)
            .isEqualTo((long) MEBIBYTES * 1024 * 1024);
        assertThat(storage.sha256("big/v.mp4")).contains(expected);
        MessageDigest back = MessageDigest.getInstance("SHA-256");
        try (var in =
            storage.open("big/v.mp4", dev.snapreel.storage.ByteRange.all(Files.size(file)))) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            back.update(buffer, 0, n);
          }
        }
        assertThat(HexFormat.of().formatHex(back.digest()))
            .as("read back in ranges")
            .isEqualTo(expected);
      }
    }
  }

  /** The child JVM: uploads one file with the default 8 MiB blocks. */
  static final class Upload {
    public static void main(String[] args) {
      try (AzureBlobStorage storage = AzureBlobStorage.builder()
          .connectionString(args[0])
          .container("memory")
          .createContainerIfMissing(true)
          .build()) {
        storage.put("big/v.mp4", Path.of(args[1]));
      }
    }
  }
}
