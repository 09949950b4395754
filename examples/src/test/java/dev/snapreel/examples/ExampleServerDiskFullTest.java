package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.RecordingConfig;
import dev.snapreel.RecordingOptions;
import dev.snapreel.Resolution;
import dev.snapreel.storage.LocalStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk at stop loses nothing: the host answers 507 with JSON, the recording shows as
 * {@code finalizing} (not {@code recording}), downloads and deletes wait for it, and the service
 * stores it by itself once there is space again. The store is a real 1 MiB tmpfs filled to the brim
 * (needs root, as CI runs; the work directory stays on the normal disk).
 */
class ExampleServerDiskFullTest {
  static final Duration REPLY = Duration.ofSeconds(20);

  @Test
  @Timeout(120)
  void aFullStoreAtStopIs507AndTheRecordingIsStoredOnceThereIsSpace(@TempDir Path base)
      throws Exception {
    Path store = Files.createDirectories(base.resolve("store"));
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", store.toString());
    try {
      RecordingConfig config = new RecordingConfig(
          base.resolve("recordings"),
          RecordingOptions.defaults().withResolution(Resolution.parse("640x480")),
          Duration.ofDays(7));
      ServerSettings settings = new ServerSettings(
          "127.0.0.1", 0, config, ExampleServerFlowTest.SECRET, false, 256 * 1024, 4);
      try (ExampleServer server = ExampleServer.start(settings, LocalStorage.create(store))) {
        ApiClient api = new ApiClient(server.baseUri());
        String token = server.tokens().issueAccess("full-alice", Duration.ofHours(1));
        String session = api.createSession(token);
        String id = api.post("/api/recordings/sessions/" + session + "/start?fps=15", token)
            .json()
            .get("recording_id")
            .asText();
        URI uri = URI.create("ws://localhost:" + server.port() + "/api/focus/ws/" + session
            + "?enable_recording=true&token=" + token);
        try (FrameSocket socket = FrameSocket.connect(api.http(), uri)) {
          for (int i = 0; i < 5; i++) {
            socket.sendBinary(TestFrames.faceJpeg());
            socket.next(REPLY);
            Thread.sleep(200);
          }
        }
        Path filler = fill(store);

        ApiClient.Response stopped =
            api.post("/api/recordings/sessions/" + session + "/stop", token);
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(507);
        assertThat(stopped.header("Content-Type")).startsWith("application/json");
        assertThat(stopped.json().get("status").asInt()).isEqualTo(507);
        assertThat(stopped.json().get("message").asText()).contains("out of storage space");
        assertThat(stopped.json().get("recording").get("status").asText()).isEqualTo("finalizing");
        assertThat(stopped.text()).doesNotContain(store.toString()).doesNotContain(base.toString());

        // In between: visible as finalizing; download and delete wait for it.
        assertThat(api.get("/api/recordings/" + id, token).json().get("status").asText())
            .isEqualTo("finalizing");
        JsonNode listed = api.get("/api/recordings/sessions/" + session, token)
            .json()
            .get("recordings")
            .get(0);
        assertThat(listed.get("status").asText()).isEqualTo("finalizing");
        ExampleServerErrorsTest.assertError(
            api.get("/api/recordings/" + id + "/download", token), 409);
        ExampleServerErrorsTest.assertError(api.delete("/api/recordings/" + id, token), 409);

        Files.delete(filler); // space again: the background retry stores it
        JsonNode done = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (done == null) {
          JsonNode m = api.get("/api/recordings/" + id, token).json();
          if (m.get("status").asText().equals("completed")) {
            done = m;
          } else {
            assertThat(m.get("status").asText()).isEqualTo("finalizing");
            assertThat(System.nanoTime()).as("stored within 60 s").isLessThan(deadline);
            Thread.sleep(200);
          }
        }
        assertThat(done.path("error").isNull() || done.path("error").isMissingNode())
            .as(done.toString())
            .isTrue();
        ApiClient.Response video = api.get("/api/recordings/" + id + "/download", token);
        assertThat(video.status()).isEqualTo(200);
        assertThat((long) video.body().length)
            .isEqualTo(done.get("file_size_bytes").asLong());
        assertThat(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(video.body())))
            .isEqualTo(done.get("sha256").asText());
        assertThat(done.get("frame_count").asLong()).isPositive();
      }
    } finally {
      run("umount", "-l", store.toString());
    }
  }

  /** Fills the file system holding {@code dir} until a write fails with ENOSPC. */
  private static Path fill(Path dir) throws IOException {
    Path filler = dir.resolve("filler.bin");
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException e) {
      assertThat(String.valueOf(e.getMessage())).contains("No space left on device");
    }
    return filler;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor())
        .as(String.join(" ", command) + " (this test needs root): " + out)
        .isZero();
  }
}
