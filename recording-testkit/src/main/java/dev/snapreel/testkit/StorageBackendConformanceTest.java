package dev.snapreel.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.StorageException;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.RangeNotSatisfiableException;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StoredObject;
import dev.snapreel.upload.UploadingStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link StorageBackend} must keep, as one JUnit 5 suite a backend's module runs
 * by extending this class against a real store (a directory, an S3 server, Azurite, ...). Each test
 * gets a fresh, empty backend from {@link #newStorage}; content is random, and every read is
 * compared byte for byte.
 *
 * <p>Covered: put/get, atomic {@code put} and {@code moveIn} under a concurrent reader, byte ranges
 * (first, middle and last byte, suffix, clamped end, empty, and past the end as a {@link
 * RangeNotSatisfiableException}), listing by prefix and nothing outside it, idempotent delete, stat,
 * missing objects, objects larger than one upload part ({@link #partSize()}), concurrent writers to
 * different keys, keys and prefixes that must be refused, and presigned URLs where the backend
 * offers them ({@link #offersPresignedUrls()}), fetched over HTTP.
 *
 * @since 0.1.0
 */
public abstract class StorageBackendConformanceTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir
  protected Path temp;

  private StorageBackend storage;

  /** A fresh backend with nothing stored in it (e.g. a new directory, bucket prefix or container). */
  protected abstract StorageBackend newStorage(Path scratch) throws Exception;

  /** What {@link StorageBackend#provider()} must say: {@code local}, {@code s3}, {@code azure}. */
  protected abstract String expectedProvider();

  /**
   * The size above which {@code put} sends a file in more than one request (S3 part, Azure block);
   * the kit stores objects of 2.5 parts. Backends without parts return any size worth testing.
   */
  protected abstract long partSize();

  /** Whether {@link StorageBackend#presignedGet} returns URLs (then they must work over HTTP). */
  protected abstract boolean offersPresignedUrls();

  /**
   * Waits until what was written has reached the backend's final store: for an {@link
   * UploadingStorage}, until its uploads have finished (at most 60 s); nothing for backends that
   * write synchronously. Override for other asynchronous backends.
   */
  protected void awaitStored(StorageBackend backend) throws Exception {
    if (backend instanceof UploadingStorage uploading) {
      assertThat(uploading.awaitUploads(Duration.ofSeconds(60)))
          .as("uploads finished")
          .isTrue();
    }
  }

  @BeforeEach
  void openStorage() throws Exception {
    storage = newStorage(Files.createDirectories(temp.resolve("backend")));
  }

  @AfterEach
  void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  /** The backend under test. */
  protected final StorageBackend storage() {
    return storage;
  }

  @Test
  void namesItsProvider() {
    assertThat(storage.provider()).isEqualTo(expectedProvider());
  }

  @Test
  void putStoresACopyAndKeepsTheSource() throws Exception {
    byte[] content = random(100_000, 1);
    Path source = file("video.mp4", content);

    storage.put("alice/s1/v.mp4", source);

    assertThat(storage.getBytes("alice/s1/v.mp4"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
    assertThat(source).exists().hasBinaryContent(content);
  }

  @Test
  void putReplacesExistingContent() throws Exception {
    storage.put("a/v.mp4", file("one", random(5000, 2)));
    byte[] second = random(1234, 3);
    storage.put("a/v.mp4", file("two", second));

    assertThat(storage.getBytes("a/v.mp4"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(second));
    assertThat(storage.stat("a/v.mp4")).get().extracting(StoredObject::size).isEqualTo(1234L);
  }

  @Test
  void moveInStoresTheFileAndConsumesTheSource() throws Exception {
    byte[] content = random(70_000, 4);
    Path source = file("finished.mp4", content);

    storage.moveIn("bob/s2/final.mp4", source);

    assertThat(source).doesNotExist();
    assertThat(storage.getBytes("bob/s2/final.mp4"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
  }

  @Test
  @Timeout(300)
  void readersNeverSeeAPartlyWrittenObject() throws Exception {
    // Two versions larger than one part replace each other under one key (moveIn, put, putBytes)
    // while a reader polls it: every read is all of one version, never a prefix or a mix.
    int size = (int) (partSize() + partSize() / 2);
    byte[] a = random(size, 5);
    byte[] b = random(size - 777, 6);
    storage.put("k/v.bin", file("a.bin", a));
    awaitStored(storage);

    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> violations = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(
        () -> {
          int reads = 0;
          while (writing.get() || reads < 2) {
            reads++;
            try {
              byte[] seen = storage.getBytes("k/v.bin").orElse(null);
              if (seen == null) {
                violations.add("key missing during a replace");
              } else if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                violations.add("partial content of " + seen.length + " bytes");
              }
            } catch (RuntimeException e) {
              violations.add("read failed: " + e);
            }
          }
        },
        "conformance-reader");
    reader.start();
    try {
      for (int i = 0; i < 3; i++) {
        storage.moveIn("k/v.bin", file("move-" + i, i % 2 == 0 ? b : a));
        storage.put("k/v.bin", file("put-" + i, i % 2 == 0 ? a : b));
      }
      storage.putBytes("k/v.bin", b);
    } finally {
      writing.set(false);
      reader.join();
    }

    assertThat(violations).isEmpty();
    awaitStored(storage);
    assertThat(storage.getBytes("k/v.bin"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(b));
    assertThat(keys("")).containsExactly("k/v.bin");
  }

  @Test
  void putOfAMissingSourceFailsAndStoresNothing() {
    assertThatThrownBy(() -> storage.put("a/b.mp4", temp.resolve("missing")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("a/b.mp4");
    assertThat(storage.stat("a/b.mp4")).isEmpty();
    assertThat(storage.list("")).isEmpty();
  }

  @Test
  void putBytesAndGetBytesRoundTrip() {
    byte[] json = "{\"recording_id\":\"r1\",\"fps\":30}".getBytes(UTF_8);
    storage.putBytes("alice/s1/v.json", json);
    storage.putBytes("alice/s1/empty.json", new byte[0]);

    assertThat(storage.getBytes("alice/s1/v.json"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(json));
    assertThat(storage.getBytes("alice/s1/empty.json"))
        .hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(keys("")).containsExactlyInAnyOrder("alice/s1/v.json", "alice/s1/empty.json");
  }

  @Test
  void statReportsSizeAndModificationTime() {
    Instant before = Instant.now().minusSeconds(5);
    storage.putBytes("k/v.bin", new byte[1234]);
    Instant after = Instant.now().plusSeconds(5);

    StoredObject o = storage.stat("k/v.bin").orElseThrow();

    assertThat(o.key()).isEqualTo("k/v.bin");
    assertThat(o.size()).isEqualTo(1234);
    assertThat(o.lastModified()).isBetween(before, after);
    assertThat(storage.stat("k")).as("a prefix is not an object").isEmpty();
  }

  @Test
  void readsByteRanges() throws Exception {
    byte[] content = random(10_000, 7);
    storage.put("r/v.bin", file("v.bin", content));
    awaitStored(storage);

    assertThat(read("r/v.bin", ByteRange.all(10_000))).as("all").isEqualTo(content);
    assertThat(read("r/v.bin", new ByteRange(0, 1))).as("first byte").containsExactly(content[0]);
    assertThat(read("r/v.bin", new ByteRange(4321, 100)))
        .as("middle")
        .isEqualTo(Arrays.copyOfRange(content, 4321, 4421));
    assertThat(read("r/v.bin", new ByteRange(9999, 1)))
        .as("last byte")
        .containsExactly(content[9999]);
    assertThat(read("r/v.bin", new ByteRange(10_000 - 500, 500)))
        .as("suffix")
        .isEqualTo(Arrays.copyOfRange(content, 9500, 10_000));
    assertThat(read("r/v.bin", new ByteRange(9990, 100)))
        .as("reaching past the end: clamped")
        .isEqualTo(Arrays.copyOfRange(content, 9990, 10_000));
    assertThat(read("r/v.bin", new ByteRange(0, 0))).as("empty range").isEmpty();
    try (InputStream in = storage.open("r/v.bin", new ByteRange(100, 50))) {
      assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOfRange(content, 100, 110));
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 110, 150));
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aRangeStartingPastTheEndIsAClearError() throws Exception {
    storage.put("r/v.bin", file("v.bin", random(1000, 8)));
    awaitStored(storage);

    for (ByteRange range : List.of(new ByteRange(1000, 1), new ByteRange(5000, 10))) {
      assertThatThrownBy(() -> read("r/v.bin", range))
          .as("%s", range)
          .isInstanceOf(RangeNotSatisfiableException.class)
          .hasMessageContaining("r/v.bin")
          .hasMessageContaining("past its end");
    }
  }

  @Test
  void missingObjectsAreAbsentEverywhere() {
    storage.putBytes("there/a.json", new byte[] {1});

    assertThat(storage.getBytes("there/missing.json")).isEmpty();
    assertThat(storage.stat("there/missing.mp4")).isEmpty();
    assertThat(storage.delete("there/missing.mp4")).isFalse();
    assertThat(keys("there/")).containsExactly("there/a.json");
    assertThatThrownBy(() -> storage.open("there/missing.mp4", new ByteRange(0, 10)))
        .isInstanceOf(StorageException.class)
        .isNotInstanceOf(RangeNotSatisfiableException.class)
        .hasMessageContaining("there/missing.mp4");
    assertThatThrownBy(() -> storage.open("elsewhere/missing.mp4", ByteRange.all(0)))
        .isInstanceOf(StorageException.class);
  }

  @Test
  void listsByPrefixAndNothingOutsideIt() {
    storage.putBytes("alice/s1/a.mp4", new byte[3]);
    storage.putBytes("alice/s1/a.json", new byte[2]);
    storage.putBytes("alice/s2/b.mp4", new byte[1]);
    storage.putBytes("alicia/s1/c.mp4", new byte[4]);
    storage.putBytes("bob/s1/d.mp4", new byte[5]);

    assertThat(keys("alice/"))
        .containsExactlyInAnyOrder("alice/s1/a.mp4", "alice/s1/a.json", "alice/s2/b.mp4");
    assertThat(keys("alice/s1/")).containsExactlyInAnyOrder("alice/s1/a.mp4", "alice/s1/a.json");
    assertThat(keys("ali"))
        .containsExactlyInAnyOrder(
            "alice/s1/a.mp4", "alice/s1/a.json", "alice/s2/b.mp4", "alicia/s1/c.mp4");
    assertThat(keys("alice/s1/a.")).containsExactlyInAnyOrder("alice/s1/a.mp4", "alice/s1/a.json");
    assertThat(keys("")).hasSize(5);
    assertThat(keys("carol/")).isEmpty();
    // stored by now: keys() waited
    assertThat(storage.list("alicia/")).singleElement().satisfies(o -> {
      assertThat(o.key()).isEqualTo("alicia/s1/c.mp4");
      assertThat(o.size()).isEqualTo(4);
    });
  }

  @Test
  void deleteIsIdempotentAndTouchesNothingElse() {
    storage.putBytes("alice/s1/a.mp4", new byte[1]);
    storage.putBytes("alice/s1/a.json", new byte[2]);

    assertThat(storage.delete("alice/s1/a.mp4")).isTrue();
    assertThat(storage.delete("alice/s1/a.mp4")).isFalse();
    assertThat(storage.stat("alice/s1/a.mp4")).isEmpty();
    assertThat(storage.getBytes("alice/s1/a.mp4")).isEmpty();
    assertThat(keys("")).containsExactly("alice/s1/a.json");
    assertThat(storage.delete("alice/s1/a.json")).isTrue();
    assertThat(keys("")).isEmpty();
  }

  @Test
  @Timeout(300)
  void objectsLargerThanOnePartComeBackIdentical() throws Exception {
    int size = (int) (2.5 * partSize());
    byte[] content = random(size, 9);

    storage.put("alice/s1/big.mp4", file("big.mp4", content));
    awaitStored(storage);

    assertThat(storage.stat("alice/s1/big.mp4"))
        .get()
        .extracting(StoredObject::size)
        .isEqualTo((long) size);
    assertThat(sha256(read("alice/s1/big.mp4", ByteRange.all(size)))).isEqualTo(sha256(content));
    long boundary = partSize();
    assertThat(read("alice/s1/big.mp4", new ByteRange(boundary - 10, 20)))
        .as("a range across the first part boundary")
        .isEqualTo(Arrays.copyOfRange(content, (int) boundary - 10, (int) boundary + 10));
    assertThat(read("alice/s1/big.mp4", new ByteRange(size - 3, 3)))
        .as("the last bytes")
        .isEqualTo(Arrays.copyOfRange(content, size - 3, size));
  }

  @Test
  @Timeout(300)
  void concurrentWritersToDifferentKeysDoNotInterfere() throws Exception {
    int writers = 6;
    List<byte[]> contents = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      contents.add(random((int) (partSize() / 2 + i * 7919L), 100 + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int n = i;
        Path source = file("w" + n, contents.get(n));
        done.add(pool.submit(() -> {
          storage.put("w/s" + n + "/v.mp4", source);
          storage.putBytes("w/s" + n + "/v.json", ("{\"n\":" + n + "}").getBytes(UTF_8));
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    awaitStored(storage);

    assertThat(keys("w/")).hasSize(2 * writers);
    for (int i = 0; i < writers; i++) {
      byte[] expected = contents.get(i);
      assertThat(read("w/s" + i + "/v.mp4", ByteRange.all(expected.length)))
          .as("writer %d", i)
          .isEqualTo(expected);
      assertThat(storage.getBytes("w/s" + i + "/v.json"))
          .get()
          .extracting(b -> new String(b, UTF_8))
          .isEqualTo("{\"n\":" + i + "}");
    }
  }

  /** Keys that could escape a directory, name hidden files, or are not storage keys at all. */
  static Stream<String> hostileKeys() {
    return Stream.of(
        "../outside.txt",
        "a/../../outside.txt",
        "a/../b",
        "/abs",
        "/etc/passwd",
        "a//b",
        ".hidden",
        "a/.hidden",
        "..",
        ".",
        "a/..",
        "%2e%2e/outside.txt",
        "..\\outside.txt",
        "a/b/",
        "",
        "a/" + "x".repeat(129),
        "a/".repeat(600) + "b",
        "a\u0000b",
        "a b",
        "ä/b",
        "a?b=c",
        "a#b");
  }

  @ParameterizedTest
  @MethodSource("hostileKeys")
  void refusesKeysThatAreNotStorageKeysAndStoresNothing(String key) throws Exception {
    Path source = file("payload", "payload".getBytes(UTF_8));

    List<Runnable> operations = List.of(
        () -> storage.put(key, source),
        () -> storage.moveIn(key, source),
        () -> storage.putBytes(key, "payload".getBytes(UTF_8)),
        () -> storage.getBytes(key),
        () -> storage.stat(key),
        () -> storage.open(key, ByteRange.all(10)),
        () -> storage.delete(key));
    for (Runnable operation : operations) {
      assertThatThrownBy(operation::run).isInstanceOf(IllegalArgumentException.class);
    }
    try {
      assertThat(storage.presignedGet(key, Duration.ofMinutes(1)))
          .as("no URL for a hostile key")
          .isEmpty();
    } catch (IllegalArgumentException expected) {
      // refusing it outright is as good
    }

    assertThat(source).hasContent("payload");
    assertThat(storage.list("")).isEmpty();
  }

  @Test
  void refusesHostilePrefixes() {
    for (String prefix : new String[] {"../", "/", "a//", ".inprogress/", "..", "a/../", "a b/"}) {
      assertThatThrownBy(() -> storage.list(prefix))
          .as(prefix)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void presignedUrlsServeTheExactBytesOverHttp() throws Exception {
    byte[] content = random((int) (partSize() + 4096), 11);
    storage.put("alice/s1/v.mp4", file("v.mp4", content));
    awaitStored(storage);

    var url = storage.presignedGet("alice/s1/v.mp4", Duration.ofMinutes(5));
    if (!offersPresignedUrls()) {
      assertThat(url).as("this backend declares no presigned URLs").isEmpty();
      return;
    }
    assertThat(url).isPresent();

    HttpResponse<byte[]> whole = get(url.get(), null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(content);
    HttpResponse<byte[]> ranged = get(url.get(), "bytes=100-199");
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
    HttpResponse<byte[]> otherKey =
        get(URI.create(url.get().toString().replace("v.mp4", "w.mp4")), null);
    assertThat(otherKey.statusCode()).as("the signature covers the key").isBetween(400, 499);
    assertThat(otherKey.body()).isNotEqualTo(content);
  }

  // ---- helpers for subclasses and the tests above

  /** Writes {@code content} to a new scratch file. */
  protected final Path file(String name, byte[] content) throws IOException {
    Path dir = Files.createDirectories(temp.resolve("sources"));
    return Files.write(dir.resolve(name), content);
  }

  /** Deterministic random bytes. */
  protected static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected final byte[] read(String key, ByteRange range) throws IOException {
    try (InputStream in = storage.open(key, range)) {
      return in.readAllBytes();
    }
  }

  /**
   * The keys listed under {@code prefix}, once what was written has reached the store ({@link
   * #awaitStored}): a listing taken while a write is in flight is the store's own business (s3proxy's
   * file store, for one, lists its temporary files then).
   */
  protected final List<String> keys(String prefix) {
    try {
      awaitStored(storage);
    } catch (Exception e) {
      throw new AssertionError("writes did not reach the store", e);
    }
    return storage.list(prefix).stream().map(StoredObject::key).toList();
  }

  protected static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<byte[]> get(URI url, @Nullable String range)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60));
    if (range != null) {
      request.header("Range", range);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
