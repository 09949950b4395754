package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.StorageException;
import dev.snapreel.examples.api.HostLimits;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StoredObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients never see server paths, bucket names or endpoints: a store failing with all three in its
 * messages yields plain messages with a request id in responses and in {@code error} fields.
 */
class ExampleServerLeakTest {
  static final String BUCKET = "acme-secret-bucket";
  static final String ENDPOINT = "https://s3.internal.acme.example:9000";
  static final String SERVER_PATH = "/srv/snapreel/data";

  @TempDir
  static Path recordings;

  static ExampleServer server;
  static ApiClient api;
  static Leaky storage;

  /** Local storage that, when switched, fails like a remote store does: with every detail in the message. */
  static final class Leaky implements StorageBackend {
    final LocalStorage delegate;
    volatile boolean failing;

    Leaky(LocalStorage delegate) {
      this.delegate = delegate;
    }

    private void check(String key) {
      if (failing) {
        throw new StorageException("PUT " + ENDPOINT + "/" + BUCKET + "/" + key
            + " failed: no space left on device (" + SERVER_PATH + "/" + key + ")");
      }
    }

    @Override
    public String provider() {
      return delegate.provider();
    }

    @Override
    public void put(String key, Path source) {
      check(key);
      delegate.put(key, source);
    }

    @Override
    public void moveIn(String key, Path source) {
      check(key);
      delegate.moveIn(key, source);
    }

    @Override
    public void putBytes(String key, byte[] content) {
      check(key);
      delegate.putBytes(key, content);
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
      return delegate.getBytes(key);
    }

    @Override
    public Optional<StoredObject> stat(String key) {
      return delegate.stat(key);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
      check(key);
      return delegate.open(key, range);
    }

    @Override
    public List<StoredObject> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public boolean delete(String key) {
      check(key);
      return delegate.delete(key);
    }
  }

  @BeforeAll
  static void startServer() {
    ServerSettings settings = ExampleServerFlowTest.settings(
            recordings, ExampleServerFlowTest.SECRET)
        .withLimits(HostLimits.defaults().withMaxOpenSessionsPerUser(100));
    storage = new Leaky(LocalStorage.create(recordings));
    server = ExampleServer.start(settings, storage);
    api = new ApiClient(server.baseUri());
  }

  @AfterAll
  static void stopServer() {
    storage.failing = false;
    if (server != null) {
      server.close();
    }
  }

  static void assertNoInternals(ApiClient.Response r) {
    assertThat(r.text())
        .as(r.text())
        .doesNotContain(BUCKET)
        .doesNotContain("s3.internal")
        .doesNotContain(SERVER_PATH)
        .doesNotContain(recordings.toString())
        .doesNotContain(".inprogress")
        .doesNotContain("Exception");
  }

  @Test
  void aStoreFailureAtStopShowsAPlainErrorField() {
    String user = server.tokens().issueAccess("leak-alice", Duration.ofHours(1));
    String session = api.createSession(user);
    ApiClient.Response started =
        api.post("/api/recordings/sessions/" + session + "/start?fps=15", user);
    assertThat(started.status()).isEqualTo(200);
    String id = started.json().get("recording_id").asText();
    storage.failing = true;
    try {
      ApiClient.Response stopped = api.post("/api/recordings/sessions/" + session + "/stop", user);
      assertNoInternals(stopped);
      assertThat(stopped.json().path("error").asText()).isNotBlank();
      ApiClient.Response shown = api.get("/api/recordings/" + id, user);
      assertNoInternals(shown);
      assertNoInternals(api.get("/api/recordings/", user));
      assertNoInternals(api.get("/api/recordings/sessions/" + session, user));
    } finally {
      storage.failing = false;
    }
  }

  @Test
  void aServerFailureAnswers500WithAPlainMessageAndARequestId() {
    String user = server.tokens().issueAccess("leak-bob", Duration.ofHours(1));
    String session = api.createSession(user);
    assertThat(api.post("/api/recordings/sessions/" + session + "/start?fps=15", user)
            .status())
        .isEqualTo(200);
    ApiClient.Response stopped = api.post("/api/recordings/sessions/" + session + "/stop", user);
    assertThat(stopped.status()).isEqualTo(200);
    String id = stopped.json().get("recording_id").asText();
    storage.failing = true;
    try {
      for (ApiClient.Response r : List.of(
          api.delete("/api/recordings/" + id, user),
          api.get("/api/recordings/" + id + "/download", user))) {
        assertThat(r.status()).as(r.text()).isEqualTo(500);
        assertNoInternals(r);
        String requestId = r.json().get("request_id").asText();
        assertThat(requestId).matches("[0-9a-f]{12}");
        assertThat(r.header("X-Request-Id")).isEqualTo(requestId);
        assertThat(r.json().get("message").asText()).contains(requestId);
      }
    } finally {
      storage.failing = false;
    }
  }
}
