package dev.snapreel.index.jdbc;

/** The service on an embedded H2 index file. */
class EmbeddedIndexedServiceTest extends IndexedServiceContract {
  @Override
  protected JdbcRecordingIndex openIndex() {
    return JdbcRecordingIndex.embedded(dir.resolve("index").resolve("recordings"));
  }
}
