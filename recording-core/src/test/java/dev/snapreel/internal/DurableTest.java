package dev.snapreel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What must reach the disk before a write returns: the file before its rename, the directory after. */
class DurableTest {
  @TempDir
  Path dir;

  final List<String> syncs = new CopyOnWriteArrayList<>();

  @BeforeEach
  void observe() {
    Durable.observer = syncs::add;
  }

  @AfterEach
  void stopObserving() {
    Durable.observer = null;
  }

  private String file(Path p) {
    return "file " + p.toAbsolutePath().normalize();
  }

  private String directory(Path p) {
    return "dir " + p.toAbsolutePath().normalize();
  }

  @Test
  void workDirectoryMetadataIsForcedBeforeItsRenameAndTheDirectoryAfter() {
    try (WorkDirectory work = WorkDirectory.open(dir.resolve("work"))) {
      RecordingMetadata m = RecordingMetadata.builder()
          .identity("r1", "alice", "s1", "v.mp4", "alice/s1/v.mp4")
          .status(RecordingStatus.RECORDING)
          .format("h264", 30, 640, 480)
          .createdAt(Instant.parse("2026-12-01T10:00:00Z"))
          .build();
      work.saveMetadata(m);
      Path root = work.root();
      assertThat(syncs).containsExactly(file(root.resolve(".r1.json.tmp")), directory(root));
      assertThat(root.resolve("r1.json")).exists();
      assertThat(root.resolve(".r1.json.tmp")).doesNotExist();
    }
  }

  @Test
  void localStorageForcesTheContentThenEveryDirectoryTheNewNameNeeds() throws Exception {
    LocalStorage storage = LocalStorage.create(dir.resolve("store"));
    Path root = storage.root();
    storage.putBytes("alice/s1/meta.json", new byte[] {1, 2, 3});
    assertThat(syncs)
        .containsExactly(
            directory(root.resolve("alice/s1")), directory(root.resolve("alice")), directory(root));

    syncs.clear();
    Path source = Files.write(dir.resolve("video.mp4"), new byte[] {4, 5, 6});
    storage.moveIn("alice/s1/video.mp4", source);
    assertThat(syncs)
        .containsExactly(
            file(source),
            directory(root.resolve("alice/s1")),
            directory(root.resolve("alice")),
            directory(root),
            directory(dir));
    assertThat(Files.readAllBytes(root.resolve("alice/s1/video.mp4"))).containsExactly(4, 5, 6);
  }
}
