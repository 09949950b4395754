package dev.snapreel.index.jdbc;

import dev.snapreel.index.RecordingIndex;
import dev.snapreel.testkit.RecordingIndexConformanceTest;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The JDBC index on an embedded H2 file database (no server) runs the index kit. */
class EmbeddedRecordingIndexTest extends RecordingIndexConformanceTest {
  private @Nullable Path file;

  @Override
  protected RecordingIndex newIndex(Path temp) {
    file = temp.resolve("index");
    return JdbcRecordingIndex.embedded(file);
  }

  @Override
  protected RecordingIndex reopen() {
    if (file == null) {
      throw new IllegalStateException("no database yet");
    }
    return JdbcRecordingIndex.embedded(file);
  }

  @Override
  protected boolean cursorsSurviveReopen() {
    return true;
  }
}
