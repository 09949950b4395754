package dev.snapreel.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StoredObject;
import dev.snapreel.storage.s3.S3Storage;
import dev.snapreel.testkit.Azurite;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Measures (does not assert a speed) the upload of one large recording to Azurite and to s3proxy,
 * alternating, in the same JVM and run, with the CPU each side used. Off by default; run with
 * {@code mvn -pl recording-storage-azure -am verify -Dtest=UploadThroughputTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsnapreel.upload.throughput=true
 * [-Dsnapreel.upload.throughput.mb=200]}. Both servers are on loopback: the figures say how fast
 * the backends stream and checksum, and what the emulators cost, not how fast the clouds are.
 */
@EnabledIfSystemProperty(named = "snapreel.upload.throughput", matches = "true")
class UploadThroughputTest {
  private static final int RUNS = 3;

  @TempDir
  Path dir;

  @Test
  void uploadALargeRecordingToAzuriteAndToS3proxy() throws Exception {
    int megabytes = Integer.getInteger("snapreel.upload.throughput.mb", 200);
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

    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret")
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    List<String> lines = new ArrayList<>();
    try (Azurite azurite = Azurite.start(dir.resolve("azurite"));
        AzureBlobStorage azure = AzureBlobStorage.builder()
            .connectionString(azurite.connectionString())
            .container("bench")
            .createContainerIfMissing(true)
            .build();
        S3Storage s3 = S3Storage.builder()
            .bucket("bench")
            .endpoint(URI.create("http://127.0.0.1:" + proxy.getPort()))
            .pathStyle(true)
            .credentials(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("bench", "bench-secret")))
            .build()) {
      try (var raw = software.amazon.awssdk.services.s3.S3Client.builder()
          .region(software.amazon.awssdk.regions.Region.US_EAST_1)
          .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
          .forcePathStyle(true)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret")))
          .httpClientBuilder(
              software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
          .build()) {
        raw.createBucket(r -> r.bucket("bench"));
      }
      for (int run = 1; run <= RUNS; run++) {
        lines.add(measure(
            "azure (Azurite 3.35, 8 MiB blocks, MD5 per block)",
            azure,
            file,
            size,
            megabytes,
            run,
            azurite.pid()));
        lines.add(measure(
            "s3 (s3proxy 4.1, 16 MiB parts, SHA-256 per part)",
            s3,
            file,
            size,
            megabytes,
            run,
            -1));
      }
    } finally {
      proxy.stop();
    }
    System.out.println(
        "| store | run | MiB | seconds | MiB/s | JVM CPU s | server process CPU s |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    lines.forEach(System.out::println);
  }

  private static String measure(
      String name,
      StorageBackend storage,
      Path file,
      long size,
      int megabytes,
      int run,
      long serverPid)
      throws Exception {
    String key = "bench/run" + run + ".mp4";
    long cpu0 = jvmCpuNanos();
    long server0 = processCpuNanos(serverPid);
    long start = System.nanoTime();
    storage.put(key, file);
    double seconds = (System.nanoTime() - start) / 1e9;
    double jvmCpu = (jvmCpuNanos() - cpu0) / 1e9;
    String serverCpu = serverPid < 0
        ? "(in the JVM)"
        : String.format("%.2f", (processCpuNanos(serverPid) - server0) / 1e9);
    assertThat(storage.stat(key)).get().extracting(StoredObject::size).isEqualTo(size);
    storage.delete(key);
    return String.format(
        "| %s | %d | %d | %.2f | %.1f | %.2f | %s |",
        name, run, megabytes, seconds, megabytes / seconds, jvmCpu, serverCpu);
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of a child process from /proc (clock ticks of 10 ms on Linux). */
  private static long processCpuNanos(long pid) throws Exception {
    if (pid < 0) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 10_000_000L;
  }
}
