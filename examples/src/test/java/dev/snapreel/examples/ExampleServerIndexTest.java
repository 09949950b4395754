package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.RecordingConfig;
import dev.snapreel.RecordingOptions;
import dev.snapreel.Resolution;
import dev.snapreel.Snapshot;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example host on its recording index: paged lists with {@code next_cursor}, 422 for bad
 * cursors and limits, focus sessions that survive a restart, and 503 while PostgreSQL is down.
 */
class ExampleServerIndexTest {
  private static final String SECRET = "index-test-secret-0123456789abcdef0123456789";

  @TempDir
  Path dir;

  private static ServerSettings settings(Path dir) {
    RecordingConfig config = new RecordingConfig(
        dir,
        RecordingOptions.defaults().withResolution(Resolution.parse("320x240")),
        Duration.ofDays(7));
    return new ServerSettings("127.0.0.1", 0, config, SECRET, false, 256 * 1024, 4);
  }

  /** Starts and stops one short recording of {@code session} through the API; returns its id. */
  private static String record(
      ExampleServer server, ApiClient api, String token, String user, String session) {
    ApiClient.Response started = api.post("/api/recordings/sessions/" + session + "/start", token);
    assertThat(started.status()).as(started.text()).isEqualTo(200);
    server
        .recordings()
        .active(user, session)
        .orElseThrow()
        .write(Snapshot.encoded(TestFrames.faceJpeg()));
    ApiClient.Response stopped = api.post("/api/recordings/sessions/" + session + "/stop", token);
    assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
    return started.json().get("recording_id").asText();
  }

  private static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("recordings").forEach(r -> out.add(r.get("recording_id").asText()));
    return out;
  }

  @Test
  void listsArePagedWithCursorsAndBadCursorsOrLimitsAre422() throws Exception {
    try (ExampleServer server = ExampleServer.start(settings(dir))) {
      ApiClient api = new ApiClient(server.baseUri());
      String alice = server.tokens().issueAccess("alice", Duration.ofHours(1));
      String bob = server.tokens().issueAccess("bob", Duration.ofHours(1));
      String session = api.createSession(alice);
      List<String> made = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        made.add(record(server, api, alice, "alice", session));
        Thread.sleep(2);
      }
      List<String> newestFirst = new ArrayList<>(made);
      java.util.Collections.reverse(newestFirst);
      assertThat(Files.isRegularFile(
              ExampleServer.embeddedIndexFile(server.settings()).resolveSibling("snapreel.mv.db")))
          .as("the embedded index lives under RECORDINGS_PATH")
          .isTrue();

      JsonNode unpaged = api.get("/api/recordings", alice).json();
      assertThat(unpaged.get("total").asInt()).isEqualTo(3);
      assertThat(ids(unpaged)).containsExactlyElementsOf(newestFirst);
      assertThat(unpaged.has("next_cursor"))
          .as("the specification's shape without paging")
          .isFalse();

      ApiClient.Response page1 = api.get("/api/recordings?limit=2", alice);
      assertThat(page1.status()).isEqualTo(200);
      assertThat(ids(page1.json())).containsExactlyElementsOf(newestFirst.subList(0, 2));
      assertThat(page1.json().get("total").asInt()).isEqualTo(3);
      String cursor = page1.json().get("next_cursor").asText();
      JsonNode page2 =
          api.get("/api/recordings?limit=2&cursor=" + cursor, alice).json();
      assertThat(ids(page2)).containsExactlyElementsOf(newestFirst.subList(2, 3));
      assertThat(page2.get("next_cursor").isNull()).isTrue();

      JsonNode sessionPage =
          api.get("/api/recordings/sessions/" + session + "?limit=1", alice).json();
      assertThat(ids(sessionPage)).containsExactly(newestFirst.get(0));
      assertThat(sessionPage.get("session_id").asText()).isEqualTo(session);
      assertThat(sessionPage.get("next_cursor").isNull()).isFalse();

      String tampered =
          cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("A") ? "BB" : "AA");
      for (String bad : List.of(
          "cursor=" + tampered, "cursor=garbage", "limit=2&cursor=" + cursor.substring(3))) {
        ApiClient.Response r = api.get("/api/recordings?" + bad, alice);
        assertThat(r.status()).as(bad).isEqualTo(422);
        assertThat(r.json().get("field").asText()).isEqualTo("cursor");
      }
      ApiClient.Response foreign = api.get("/api/recordings?limit=2&cursor=" + cursor, bob);
      assertThat(foreign.status()).as("alice's cursor used by bob").isEqualTo(422);
      for (String limit : List.of("0", "1001", "-5", "abc", "99999999999")) {
        ApiClient.Response r = api.get("/api/recordings?limit=" + limit, alice);
        assertThat(r.status()).as(limit).isEqualTo(422);
        assertThat(r.json().get("field").asText()).isEqualTo("limit");
      }
      assertThat(api.get("/api/recordings?limit=1000", alice).status()).isEqualTo(200);
      assertThat(api.get("/api/recordings?limit=1", bob).json().get("recordings"))
          .isEmpty();
    }
  }

  @Test
  void aUserOverTheStorageQuotaGets507AtStart() {
    try (ExampleServer server = ExampleServer.start(settings(dir).withMaxUserStorageBytes(1))) {
      ApiClient api = new ApiClient(server.baseUri());
      String alice = server.tokens().issueAccess("alice", Duration.ofHours(1));
      String session = api.createSession(alice);
      record(server, api, alice, "alice", session); // 0 bytes stored before it: allowed
      ApiClient.Response refused =
          api.post("/api/recordings/sessions/" + session + "/start", alice);
      assertThat(refused.status()).as(refused.text()).isEqualTo(507);
      assertThat(refused.json().get("status").asInt()).isEqualTo(507);
      assertThat(refused.json().get("message").asText()).contains("quota");
      String bob = server.tokens().issueAccess("bob", Duration.ofHours(1));
      String bobs = api.createSession(bob);
      assertThat(api.post("/api/recordings/sessions/" + bobs + "/start", bob).status())
          .as("per user")
          .isEqualTo(200);
    }
  }

  @Test
  void aFocusSessionSurvivesARestartAndRecordsAgain() {
    String session;
    String before;
    try (ExampleServer first = ExampleServer.start(settings(dir))) {
      ApiClient api = new ApiClient(first.baseUri());
      String alice = first.tokens().issueAccess("alice", Duration.ofHours(1));
      session = api.createSession(alice);
      before = record(first, api, alice, "alice", session);
    }
    try (ExampleServer second = ExampleServer.start(settings(dir))) {
      ApiClient api = new ApiClient(second.baseUri());
      String alice = second.tokens().issueAccess("alice", Duration.ofHours(1));
      String bob = second.tokens().issueAccess("bob", Duration.ofHours(1));
      ApiClient.Response shown = api.get("/api/focus/sessions/" + session, alice);
      assertThat(shown.status()).as(shown.text()).isEqualTo(200);
      assertThat(shown.json().get("session_name").asText()).isEqualTo("Study Session");
      assertThat(api.get("/api/focus/sessions/" + session, bob).status())
          .as("still only alice's")
          .isEqualTo(404);
      String after = record(second, api, alice, "alice", session);
      assertThat(ids(api.get("/api/recordings/sessions/" + session, alice).json()))
          .containsExactly(after, before);
    }
  }

  @Test
  void whilePostgresIsDownIndexQueriesAre503AndRecordingGoesOn() throws Exception {
    try (PostgresServer pg = PostgresServer.startNew();
        ExampleServer server =
            ExampleServer.start(settings(dir), LocalStorage.create(dir), pg.newDatabase())) {
      ApiClient api = new ApiClient(server.baseUri());
      String alice = server.tokens().issueAccess("alice", Duration.ofHours(1));
      String session = api.createSession(alice);
      String first = record(server, api, alice, "alice", session);

      pg.stop();
      ApiClient.Response down = api.get("/api/recordings?limit=10", alice);
      assertThat(down.status()).as(down.text()).isEqualTo(503);
      assertThat(down.json().get("message").asText()).contains("index");
      assertThat(api.get("/api/recordings", alice).status()).isEqualTo(503);
      assertThat(api.get("/api/recordings/" + first, alice).status()).isEqualTo(503);
      String during =
          record(server, api, alice, "alice", session); // the session is known to this host

      pg.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      ApiClient.Response back = api.get("/api/recordings?limit=10", alice);
      while ((back.status() != 200 || back.json().get("count").asInt() < 2)
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
        back = api.get("/api/recordings?limit=10", alice);
      }
      assertThat(back.status()).as(back.text()).isEqualTo(200);
      assertThat(ids(back.json())).containsExactly(during, first);
      assertThat(back.json().get("recordings").get(0).get("status").asText())
          .isEqualTo("completed");
    }
  }
}
