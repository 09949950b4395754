package dev.snapreel.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.InvalidOptionException;
import dev.snapreel.StorageException;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.StoredObject;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What is particular to S3, against a real S3 server (s3proxy) over HTTP on loopback; the contract
 * shared by every backend is the storage kit's ({@link S3StorageConformanceTest}).
 */
class S3StorageTest {
  private static final String BUCKET = "snapreel-test";
  private static S3ProxyServer server;
  private static int prefixCounter;

  private S3Storage storage;
  private String prefix;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void isolateByPrefix() {
    prefix = "t" + (++prefixCounter);
    storage =
        server.storage(BUCKET).prefix(prefix).partSize(S3Storage.MIN_PART_SIZE).build();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void objectsLiveUnderTheConfiguredPrefix() {
    storage.putBytes("alice/s1/a.json", new byte[] {1});
    storage.putBytes("alice/s2/b.json", new byte[] {1, 2});
    storage.putBytes("bob/s1/c.json", new byte[] {1, 2, 3});

    assertThat(storage.list("alice/"))
        .extracting(StoredObject::key)
        .containsExactlyInAnyOrder("alice/s1/a.json", "alice/s2/b.json");
    assertThat(storage.list("alice/s2/")).extracting(StoredObject::size).containsExactly(2L);
    assertThat(storage.list("")).hasSize(3);
    try (S3Client raw = server.client()) {
      assertThat(raw.headObject(r -> r.bucket(BUCKET).key(prefix + "/bob/s1/c.json"))
              .contentLength())
          .as("objects live under the configured prefix")
          .isEqualTo(3L);
    }
  }

  @Test
  void fileLargerThanOnePartGoesUpInPartsWithItsSha256() throws Exception {
    byte[] content = randomBytes((int) (2.5 * S3Storage.MIN_PART_SIZE), 2);
    Path file = write("big.mp4", content);

    storage.put("alice/s1/big.mp4", file);

    try (S3Client raw = server.client()) {
      String eTag = raw.headObject(r -> r.bucket(BUCKET).key(prefix + "/alice/s1/big.mp4"))
          .eTag();
      assertThat(eTag).as("multipart ETags end with the part count").endsWith("-3\"");
    }
    assertThat(storage.stat("alice/s1/big.mp4"))
        .get()
        .extracting(StoredObject::size)
        .isEqualTo((long) content.length);
    assertThat(sha256(read(storage.open("alice/s1/big.mp4", ByteRange.all(content.length)))))
        .isEqualTo(sha256(content));
    // Multipart: the server's checksum is composite (over the parts' SHA-256s), not the file's.
    assertThat(storage.sha256("alice/s1/big.mp4")).isEmpty();
    long offset = S3Storage.MIN_PART_SIZE - 10;
    assertThat(read(storage.open("alice/s1/big.mp4", new ByteRange(offset, 20))))
        .as("a range across a part boundary")
        .isEqualTo(Arrays.copyOfRange(content, (int) offset, (int) offset + 20));
    assertThat(storage.sha256("alice/s1/missing.mp4")).isEmpty();
  }

  @Test
  void theServerRefusesAPartWhoseChecksumDoesNotMatchItsBytes() throws Exception {
    // What S3Storage relies on: every part carries the SHA-256 of the bytes it read from disk, so a
    // part altered in transit (or read differently than it was digested) is refused, never stored.
    byte[] part = randomBytes((int) S3Storage.MIN_PART_SIZE, 7);
    byte[] other = part.clone();
    other[12345] ^= 1;
    String wrong = java.util.Base64.getEncoder()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(other));
    String right = java.util.Base64.getEncoder()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(part));
    String key = prefix + "/alice/s1/parts.mp4";
    try (S3Client raw = server.client()) {
      String uploadId = raw.createMultipartUpload(r -> r.bucket(BUCKET)
              .key(key)
              .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256))
          .uploadId();
      try {
        assertThatThrownBy(() -> raw.uploadPart(
                r -> r.bucket(BUCKET)
                    .key(key)
                    .uploadId(uploadId)
                    .partNumber(1)
                    .contentLength((long) part.length)
                    .checksumSHA256(wrong),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(part)))
            .isInstanceOfSatisfying(
                software.amazon.awssdk.services.s3.model.S3Exception.class,
                e -> assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(400));
        assertThat(
                raw.listParts(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)).parts())
            .isEmpty();
        // The same part with its true checksum is accepted.
        assertThat(raw.uploadPart(
                    r -> r.bucket(BUCKET)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(1)
                        .contentLength((long) part.length)
                        .checksumSHA256(right),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(part))
                .eTag())
            .isNotBlank();
      } finally {
        raw.abortMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId));
      }
      assertThat(storage.stat("alice/s1/parts.mp4")).isEmpty();
    }
  }

  @Test
  void abortsIncompleteMultipartUploadsLeftBehind() {
    try (S3Client raw = server.client()) {
      raw.createMultipartUpload(r -> r.bucket(BUCKET).key(prefix + "/alice/s1/crashed.mp4"))
          .uploadId();

      assertThat(storage.abortIncompleteUploads(Duration.ofDays(1)))
          .as("too recent")
          .isZero();
      assertThat(storage.abortIncompleteUploads(Duration.ZERO)).isEqualTo(1);

      assertThat(raw.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix + "/"))
              .uploads())
          .isEmpty();
    }
  }

  @Test
  void objectUrlNamesBucketAndKeyAndProviderIsS3() {
    assertThat(storage.objectUrl("alice/s1/v.mp4"))
        .contains("s3://" + BUCKET + "/" + prefix + "/alice/s1/v.mp4");
    assertThat(storage.provider()).isEqualTo("s3");
  }

  @Test
  void unreachableServerSurfacesAsStorageException() {
    try (S3Storage nowhere = S3Storage.builder()
        .bucket(BUCKET)
        .endpoint(URI.create("http://127.0.0.1:1"))
        .pathStyle(true)
        .credentials(S3ProxyServer.credentials())
        .build()) {
      assertThatThrownBy(() -> nowhere.list(""))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("s3://" + BUCKET);
    }
  }

  @Test
  void configuredFromEnvironment() {
    try (S3Storage fromEnv = S3Storage.fromEnvironment(Map.of(
        "S3_BUCKET_NAME",
        BUCKET,
        "S3_REGION",
        "eu-west-1",
        "S3_ENDPOINT",
        "http://127.0.0.1:9000",
        "S3_PREFIX",
        "recordings"))) {
      assertThat(fromEnv.bucket()).isEqualTo(BUCKET);
      assertThat(fromEnv.objectUrl("a/b/c.mp4"))
          .contains("s3://" + BUCKET + "/recordings/a/b/c.mp4");
    }
    assertThatThrownBy(() -> S3Storage.fromEnvironment(Map.of()))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("S3_BUCKET_NAME");
    assertThatThrownBy(() ->
            S3Storage.fromEnvironment(Map.of("S3_BUCKET_NAME", BUCKET, "S3_ENDPOINT", "nonsense")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("S3_ENDPOINT");
    assertThatThrownBy(() -> S3Storage.fromEnvironment(Map.of("S3_BUCKET_NAME", "Not_A_Bucket")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("S3_BUCKET_NAME");
    // A builder call is code, not user input: a programming error.
    assertThatThrownBy(() -> S3Storage.builder().partSize(1024))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Path write(String name, byte[] content) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return file;
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] read(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
