package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.examples.auth.TokenService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example host killed with SIGKILL (a child JVM, {@code kill -9}): a focus session created
 * before still starts a recording on the next host and takes its WebSocket; the recording that was
 * running comes back as {@code recovered}.
 */
class ExampleServerCrashTest {
  private static final String SECRET = "crash-test-secret-0123456789abcdef0123456789";

  @TempDir
  Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Process startChild(int port) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m",
        "-cp",
        System.getProperty("java.class.path"),
        ExampleServer.class.getName()));
    Map<String, String> env = pb.environment();
    env.put("PORT", Integer.toString(port));
    env.put("HOST", "127.0.0.1");
    env.put("JWT_SECRET", SECRET);
    env.put("RECORDINGS_PATH", dir.resolve("recordings").toString());
    env.put("RECORDING_DEFAULT_RESOLUTION", "640x480");
    env.remove("DATABASE_URL");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
    return pb.start();
  }

  private static void awaitUp(ApiClient api, Process child) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      assertThat(child.isAlive()).as("the child host is running").isTrue();
      try {
        if (api.get("/api/recordings", null).status() == 401) {
          return;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the child host did not start");
  }

  @Test
  void aSessionCreatedBeforeAKill9StartsARecordingAndReconnects() throws Exception {
    int port = freePort();
    ApiClient api = new ApiClient(URI.create("http://localhost:" + port));
    String alice = TokenService.create(SECRET).issueAccess("alice", Duration.ofHours(1));
    String session;
    String interrupted;
    Process child = startChild(port);
    try {
      awaitUp(api, child);
      session = api.createSession(alice);
      ApiClient.Response started =
          api.post("/api/recordings/sessions/" + session + "/start", alice);
      assertThat(started.status()).as(started.text()).isEqualTo(200);
      interrupted = started.json().get("recording_id").asText();
      URI ws = URI.create("ws://localhost:" + port + "/api/focus/ws/" + session
          + "?enable_recording=true&token=" + alice);
      try (FrameSocket socket = FrameSocket.connect(api.http(), ws)) {
        for (int i = 0; i < 10; i++) {
          socket.sendBinary(TestFrames.faceJpeg());
          socket.next(Duration.ofSeconds(20));
          Thread.sleep(200);
        }
      }
      Thread.sleep(1500); // a fragment of video and the embedded database's writes reach the disk
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      child.waitFor(30, TimeUnit.SECONDS);
    }

    Process again = startChild(port);
    try {
      awaitUp(api, again);
      ApiClient.Response shown = api.get("/api/focus/sessions/" + session, alice);
      assertThat(shown.status()).as(shown.text()).isEqualTo(200);
      JsonNode recovered = api.get("/api/recordings/" + interrupted, alice).json();
      assertThat(recovered.get("status").asText()).isEqualTo("recovered");

      ApiClient.Response restarted =
          api.post("/api/recordings/sessions/" + session + "/start", alice);
      assertThat(restarted.status()).as(restarted.text()).isEqualTo(200);
      URI ws = URI.create("ws://localhost:" + port + "/api/focus/ws/" + session
          + "?enable_recording=true&token=" + alice);
      try (FrameSocket socket = FrameSocket.connect(api.http(), ws)) {
        socket.sendBinary(TestFrames.faceJpeg());
        JsonNode reply = socket.next(Duration.ofSeconds(20));
        assertThat(reply.get("type").asText()).as(reply.toString()).isEqualTo("detection");
        assertThat(reply.get("recording").get("active").asBoolean()).isTrue();
      }
      ApiClient.Response stopped = api.post("/api/recordings/sessions/" + session + "/stop", alice);
      assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
      assertThat(api.get("/api/recordings/sessions/" + session + "?limit=10", alice)
              .json()
              .get("count")
              .asInt())
          .isEqualTo(2);
    } finally {
      again.destroy();
      again.waitFor(60, TimeUnit.SECONDS);
      if (again.isAlive()) {
        again.destroyForcibly();
      }
    }
  }
}
