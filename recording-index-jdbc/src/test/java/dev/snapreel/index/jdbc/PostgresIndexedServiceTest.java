package dev.snapreel.index.jdbc;

import dev.snapreel.testkit.PostgresServer;
import org.jspecify.annotations.Nullable;

/** The service on a real PostgreSQL index (a new database per test). */
class PostgresIndexedServiceTest extends IndexedServiceContract {
  private @Nullable String url;

  @Override
  protected JdbcRecordingIndex openIndex() {
    if (url == null) {
      url = PostgresServer.shared().newDatabase();
    }
    return JdbcRecordingIndex.builder().url(url).build();
  }
}
