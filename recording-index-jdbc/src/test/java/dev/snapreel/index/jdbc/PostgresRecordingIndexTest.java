package dev.snapreel.index.jdbc;

import dev.snapreel.index.RecordingIndex;
import dev.snapreel.testkit.PostgresServer;
import dev.snapreel.testkit.RecordingIndexConformanceTest;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The JDBC index on a real PostgreSQL server (a new database per test) runs the index kit. */
class PostgresRecordingIndexTest extends RecordingIndexConformanceTest {
  private @Nullable String url;

  @Override
  protected RecordingIndex newIndex(Path temp) {
    url = PostgresServer.shared().newDatabase();
    return JdbcRecordingIndex.builder().url(url).build();
  }

  @Override
  protected RecordingIndex reopen() {
    return JdbcRecordingIndex.builder().url(requireUrl()).build();
  }

  @Override
  protected boolean cursorsSurviveReopen() {
    return true; // the key lives in snapreel_settings
  }

  private String requireUrl() {
    if (url == null) {
      throw new IllegalStateException("no database yet");
    }
    return url;
  }
}
