package dev.snapreel.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What is particular to the file system. The contract shared by every backend is the storage kit's
 * ({@code StorageBackendConformanceTest}, run for LocalStorage in recording-testkit).
 */
class LocalStorageTest {
  @TempDir
  Path temp;

  private Path root;
  private LocalStorage storage;

  @BeforeEach
  void setUp() throws IOException {
    root = temp.resolve("store");
    storage = LocalStorage.create(root);
    Files.writeString(temp.resolve("outside.txt"), "do not touch");
  }

  @Test
  void createsTheRootAndNamesItsProvider() {
    assertThat(root).isDirectory();
    assertThat(storage.root()).isEqualTo(root.toAbsolutePath().normalize());
    assertThat(storage.provider()).isEqualTo("local");
    assertThat(storage.presignedGet("a/b.mp4", java.time.Duration.ofMinutes(1))).isEmpty();
  }

  @Test
  void putCopiesTheFileUnderItsKey() throws IOException {
    Path source = Files.writeString(temp.resolve("video.mp4"), "video bytes");

    storage.put("alice/s1/v.mp4", source);

    assertThat(root.resolve("alice/s1/v.mp4")).hasContent("video bytes");
    assertThat(source).exists();
    assertThat(storage.getBytes("alice/s1/v.mp4"))
        .hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("video bytes"));
  }

  @Test
  void putOfAMissingSourceFailsAndLeavesNothingBehind() {
    assertThatThrownBy(() -> storage.put("a/b.mp4", temp.resolve("missing")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("a/b.mp4");
    assertThat(storage.stat("a/b.mp4")).isEmpty();
    assertThat(filesUnder(root)).isEmpty();
  }

  @Test
  void putBytesLeavesNoTemporaries() {
    storage.putBytes("a/s/m.json", "{\"x\":1}".getBytes(UTF_8));

    assertThat(storage.getBytes("a/s/m.json"))
        .hasValueSatisfying(b -> assertThat(b).asString(UTF_8).isEqualTo("{\"x\":1}"));
    assertThat(storage.getBytes("a/s/other.json")).isEmpty();
    assertThat(filesUnder(root)).containsExactly(root.resolve("a/s/m.json")); // no temporaries left
  }

  @Test
  void statReportsSizeAndModificationTime() throws IOException {
    storage.putBytes("k/v.bin", new byte[1234]);

    StoredObject o = storage.stat("k/v.bin").orElseThrow();

    assertThat(o.key()).isEqualTo("k/v.bin");
    assertThat(o.size()).isEqualTo(1234);
    assertThat(o.lastModified())
        .isEqualTo(Files.getLastModifiedTime(root.resolve("k/v.bin")).toInstant());
    assertThat(storage.stat("k/missing.bin")).isEmpty();
    assertThat(storage.stat("k")).as("a directory is not an object").isEmpty();
  }

  @Test
  void listsByPrefixSkippingHiddenAndTemporaryFiles() throws IOException {
    storage.putBytes("alice/s1/a.mp4", new byte[3]);
    storage.putBytes("alice/s1/a.json", new byte[2]);
    storage.putBytes("alice/s2/b.mp4", new byte[1]);
    storage.putBytes("alicia/s1/c.mp4", new byte[1]);
    storage.putBytes("bob/s1/d.mp4", new byte[1]);
    Files.writeString(root.resolve("alice/s1/.a.mp4.1234.tmp"), "half a put");
    Files.createDirectories(root.resolve(".inprogress"));
    Files.writeString(root.resolve(".inprogress/x.json"), "work file");
    Files.writeString(root.resolve("alice/s1/bad name.mp4"), "not a key");

    assertThat(keys("alice/"))
        .containsExactlyInAnyOrder("alice/s1/a.mp4", "alice/s1/a.json", "alice/s2/b.mp4");
    assertThat(keys("alice/s1/")).containsExactlyInAnyOrder("alice/s1/a.mp4", "alice/s1/a.json");
    assertThat(keys("ali"))
        .containsExactlyInAnyOrder(
            "alice/s1/a.mp4", "alice/s1/a.json", "alice/s2/b.mp4", "alicia/s1/c.mp4");
    assertThat(keys("")).hasSize(5);
    assertThat(keys("carol/")).isEmpty();
    assertThat(storage.list("alice/s1/").stream().filter(o -> o.key().equals("alice/s1/a.mp4")))
        .singleElement()
        .extracting(StoredObject::size)
        .isEqualTo(3L);
  }

  @Test
  void deleteRemovesTheObjectAndPrunesEmptyDirectories() {
    storage.putBytes("alice/s1/a.mp4", new byte[1]);
    storage.putBytes("alice/s1/a.json", new byte[1]);
    storage.putBytes("alice/s2/b.mp4", new byte[1]);

    assertThat(storage.delete("alice/s1/a.mp4")).isTrue();
    assertThat(root.resolve("alice/s1")).isDirectory(); // a.json still there
    assertThat(storage.delete("alice/s1/a.json")).isTrue();
    assertThat(root.resolve("alice/s1")).doesNotExist();
    assertThat(root.resolve("alice")).isDirectory(); // s2 still there
    assertThat(storage.delete("alice/s2/b.mp4")).isTrue();
    assertThat(root.resolve("alice")).doesNotExist();
    assertThat(root).isDirectory();
    assertThat(storage.delete("alice/s2/b.mp4")).isFalse();
  }

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
        "%2e%2e",
        "..\\outside.txt",
        "a\\..\\..\\outside.txt",
        "a/b/",
        "",
        "a/" + "x".repeat(129),
        "a/".repeat(600) + "b",
        "a\u0000b",
        "a b",
        "ä/b");
  }

  @ParameterizedTest
  @MethodSource("hostileKeys")
  void refusesKeysThatCouldLeaveTheRootAndTouchesNothing(String key) throws IOException {
    Path outside = temp.resolve("outside.txt");
    Path source = Files.writeString(temp.resolve("payload"), "payload");

    List<Runnable> operations = List.of(
        () -> storage.put(key, source),
        () -> storage.moveIn(key, source),
        () -> storage.putBytes(key, "payload".getBytes(UTF_8)),
        () -> storage.getBytes(key),
        () -> storage.stat(key),
        () -> storage.open(key, ByteRange.all(10)),
        () -> storage.delete(key),
        () -> storage.resolve(key));
    for (Runnable operation : operations) {
      assertThatThrownBy(operation::run).isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(outside).hasContent("do not touch");
    assertThat(source).hasContent("payload");
    assertThat(filesUnder(temp)).containsExactlyInAnyOrder(outside, source);
  }

  private List<String> keys(String prefix) {
    return storage.list(prefix).stream().map(StoredObject::key).toList();
  }

  private static List<Path> filesUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
