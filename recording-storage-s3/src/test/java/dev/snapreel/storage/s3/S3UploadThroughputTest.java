package dev.snapreel.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.storage.StoredObject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (not asserts) the upload throughput of one large file to s3proxy on loopback. Off by
 * default; run with {@code -Dsnapreel.s3.throughput=true [-Dsnapreel.s3.throughput.mb=200]}. The
 * number says how fast S3Storage streams and checksums parts, not how fast a real S3 is.
 */
@EnabledIfSystemProperty(named = "snapreel.s3.throughput", matches = "true")
class S3UploadThroughputTest {
  @TempDir
  Path dir;

  @Test
  void uploadLargeFile() throws Exception {
    int megabytes = Integer.getInteger("snapreel.s3.throughput.mb", 200);
    Path file = dir.resolve("large.mp4");
    byte[] block = new byte[1024 * 1024];
    Random random = new Random(1);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < megabytes; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    long size = Files.size(file);
    try (S3ProxyServer server = S3ProxyServer.start("throughput");
        S3Storage storage = server.storage("throughput").build()) {
      for (int run = 1; run <= 3; run++) {
        String key = "bench/run" + run + ".mp4";
        long start = System.nanoTime();
        storage.put(key, file);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "S3 upload throughput (loopback s3proxy, transient store, 16 MiB parts): run %d: "
                + "%d MiB in %.2f s = %.1f MiB/s%n",
            run, megabytes, seconds, megabytes / seconds);
        assertThat(storage.stat(key)).get().extracting(StoredObject::size).isEqualTo(size);
        storage.delete(key);
      }
    }
  }
}
