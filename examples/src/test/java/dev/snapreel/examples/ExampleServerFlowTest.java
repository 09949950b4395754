package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.RecordingConfig;
import dev.snapreel.RecordingOptions;
import dev.snapreel.Resolution;
import dev.snapreel.testkit.VideoProbe;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The specification's usage flow against a real server on a free port, with the JDK HTTP and
 * WebSocket clients: create a session, start recording, stream frames, stop, list, download (whole
 * and by range), delete. The video is decoded back to check it is what the API says.
 */
class ExampleServerFlowTest {
  static final String SECRET = "flow-test-secret-0123456789abcdef0123456789abcdef0123456789abcdef";
  static final Duration REPLY = Duration.ofSeconds(20);

  @TempDir
  static Path recordings;

  static ExampleServer server;
  static ApiClient api;
  static String alice;

  @BeforeAll
  static void startServer() {
    server = ExampleServer.start(settings(recordings, SECRET));
    api = new ApiClient(server.baseUri());
    alice = server.tokens().issueAccess("alice", Duration.ofHours(1));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static ServerSettings settings(Path dir, String secret) {
    RecordingConfig config = new RecordingConfig(
        dir,
        RecordingOptions.defaults().withResolution(Resolution.parse("640x480")),
        Duration.ofDays(7));
    return new ServerSettings("127.0.0.1", 0, config, secret, false, 256 * 1024, 2);
  }

  static URI ws(String sessionId, String token, boolean recording) {
    return URI.create("ws://localhost:" + server.port() + "/api/focus/ws/" + sessionId
        + "?enable_recording=" + recording + "&token=" + token);
  }

  @Test
  void sessionIsRecordedStreamedStoppedListedDownloadedAndDeleted() throws Exception {
    String session = api.createSession(alice);

    ApiClient.Response started =
        api.post("/api/recordings/sessions/" + session + "/start?fps=30&resolution=640x480", alice);
    assertThat(started.status()).as(started.text()).isEqualTo(200);
    String recordingId = started.json().get("recording_id").asText();
    assertThat(started.json().get("recording").get("status").asText()).isEqualTo("recording");

    long streamStart = System.nanoTime();
    byte[] face = TestFrames.faceJpeg();
    try (FrameSocket socket = FrameSocket.connect(api.http(), ws(session, alice, true))) {
      for (int i = 0; i < 8; i++) {
        socket.sendBinary(face);
        JsonNode reply = socket.next(REPLY);
        assertThat(reply.get("type").asText()).as(reply.toString()).isEqualTo("detection");
        assertThat(reply.get("faces_detected").asInt()).isEqualTo(1);
        assertThat(reply.get("present").asBoolean()).isTrue();
        assertThat(reply.get("centered").asBoolean()).isTrue();
        assertThat(reply.get("face").get("x").asDouble()
                + reply.get("face").get("width").asDouble() / 2)
            .isCloseTo(0.5, within(0.1));
        JsonNode rec = reply.get("recording");
        assertThat(rec.get("enabled").asBoolean()).isTrue();
        assertThat(rec.get("active").asBoolean()).isTrue();
        assertThat(rec.get("recording_id").asText()).isEqualTo(recordingId);
        assertThat(rec.get("frames_received").asLong()).isEqualTo(i + 1);
        assertThat(rec.has("frames_written")).isTrue();
        assertThat(rec.has("frames_dropped")).isTrue();
        Thread.sleep(200);
      }
      // What canvas.toDataURL gives, as a text JSON message.
      socket.sendText("{\"type\":\"frame\",\"image\":\"data:image/jpeg;base64,"
          + Base64.getEncoder().encodeToString(TestFrames.emptyJpeg()) + "\"}");
      JsonNode nobody = socket.next(REPLY);
      assertThat(nobody.get("faces_detected").asInt()).isZero();
      assertThat(nobody.get("attention").asText()).isEqualTo("absent");
      assertThat(nobody.get("recording").get("frames_received").asLong()).isEqualTo(9);

      socket.sendText("{\"type\":\"ping\"}");
      assertThat(socket.next(REPLY).get("type").asText()).isEqualTo("pong");
    }

    // A dropped connection does not end the recording: a reconnect continues it.
    Thread.sleep(300);
    try (FrameSocket again = FrameSocket.connect(api.http(), ws(session, alice, true))) {
      again.sendBinary(face);
      JsonNode reply = again.next(REPLY);
      assertThat(reply.get("recording").get("recording_id").asText()).isEqualTo(recordingId);
      assertThat(reply.get("recording").get("frames_received").asLong()).isEqualTo(10);
    }
    Thread.sleep(500);

    ApiClient.Response stopped = api.post("/api/recordings/sessions/" + session + "/stop", alice);
    double streamedSeconds = (System.nanoTime() - streamStart) / 1e9;
    assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
    JsonNode meta = stopped.json();
    assertThat(meta.get("recording_id").asText()).isEqualTo(recordingId);
    assertThat(meta.get("status").asText()).isEqualTo("completed");
    assertThat(meta.get("fps").asDouble()).isEqualTo(30.0);
    assertThat(meta.get("resolution_width").asInt()).isEqualTo(640);
    assertThat(meta.get("resolution_height").asInt()).isEqualTo(480);
    assertThat(meta.get("frames_received").asLong()).isEqualTo(10);
    assertThat(meta.get("duration_seconds").asDouble())
        .isGreaterThan(1.0)
        .isLessThanOrEqualTo(streamedSeconds + 0.5);
    for (String field : new String[] {
      "filename",
      "filepath",
      "frame_count",
      "file_size_bytes",
      "cloud_storage_url",
      "cloud_storage_provider",
      "session_id",
      "created_at",
      "ended_at"
    }) {
      assertThat(meta.has(field)).as(field).isTrue();
    }

    ApiClient.Response bySession = api.get("/api/recordings/sessions/" + session, alice);
    assertThat(bySession.status()).isEqualTo(200);
    assertThat(bySession.json().get("total").asInt()).isEqualTo(1);
    assertThat(bySession.json().get("recordings").get(0).get("recording_id").asText())
        .isEqualTo(recordingId);
    ApiClient.Response all = api.get("/api/recordings/", alice);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().get("recordings").findValuesAsText("recording_id")).contains(recordingId);
    // No server filesystem path leaks: only the relative storage key.
    assertThat(all.text()).doesNotContain(recordings.toAbsolutePath().toString());

    long size = meta.get("file_size_bytes").asLong();
    ApiClient.Response whole = api.get("/api/recordings/" + recordingId + "/download", alice);
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("Content-Type")).isEqualTo("video/mp4");
    assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(whole.header("Content-Length")).isEqualTo(String.valueOf(size));
    assertThat(whole.body()).hasSize((int) size);
    Path video = recordings.resolveSibling("downloaded-" + recordingId + ".mp4");
    Files.write(video, whole.body());
    VideoProbe probe = VideoProbe.of(video);
    assertThat(probe.codec()).isEqualTo("h264");
    assertThat(probe.frameRate()).isCloseTo(30.0, within(0.01));
    assertThat(probe.width()).isEqualTo(640);
    assertThat(probe.height()).isEqualTo(480);
    assertThat(probe.decodedFrames()).isEqualTo(meta.get("frame_count").asLong());
    assertThat(probe.durationSeconds())
        .isCloseTo(meta.get("duration_seconds").asDouble(), within(0.1));

    ApiClient.Response part =
        api.get("/api/recordings/" + recordingId + "/download", alice, "Range", "bytes=100-199");
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.header("Content-Range")).isEqualTo("bytes 100-199/" + size);
    assertThat(part.header("Content-Length")).isEqualTo("100");
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 100, 200));

    ApiClient.Response tail =
        api.get("/api/recordings/" + recordingId + "/download", alice, "Range", "bytes=-64");
    assertThat(tail.status()).isEqualTo(206);
    assertThat(tail.body())
        .isEqualTo(Arrays.copyOfRange(whole.body(), (int) size - 64, (int) size));

    ApiClient.Response open = api.get(
        "/api/recordings/" + recordingId + "/download",
        alice,
        "Range",
        "bytes=" + (size - 10) + "-");
    assertThat(open.status()).isEqualTo(206);
    assertThat(open.header("Content-Range"))
        .isEqualTo("bytes " + (size - 10) + "-" + (size - 1) + "/" + size);

    ApiClient.Response beyond = api.get(
        "/api/recordings/" + recordingId + "/download", alice, "Range", "bytes=" + size + "-");
    assertThat(beyond.status()).isEqualTo(416);
    assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + size);

    // A <video> element gets a short-lived URL bound to this recording instead of a header.
    ApiClient.Response signed =
        api.post("/api/recordings/" + recordingId + "/download-token", alice);
    assertThat(signed.status()).isEqualTo(200);
    String url = signed.json().get("download_url").asText();
    ApiClient.Response viaUrl = api.get(url, null, "Range", "bytes=0-9");
    assertThat(viaUrl.status()).isEqualTo(206);
    assertThat(viaUrl.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 0, 10));

    ApiClient.Response deleted = api.delete("/api/recordings/" + recordingId, alice);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
    assertThat(api.get("/api/recordings/" + recordingId, alice).status()).isEqualTo(404);
    assertThat(api.get("/api/recordings/" + recordingId + "/download", alice).status())
        .isEqualTo(404);
    assertThat(api.get(url, null).status()).isEqualTo(404);
    assertThat(api.get("/api/recordings/", alice)
            .json()
            .get("recordings")
            .findValuesAsText("recording_id"))
        .doesNotContain(recordingId);

    ApiClient.Response ended =
        api.post("/api/focus/sessions/" + session + "/end", alice, "{\"status\":\"completed\"}");
    assertThat(ended.status()).isEqualTo(200);
    assertThat(ended.json().get("status").asText()).isEqualTo("completed");
    assertThat(ended.json().get("frames_analysed").asLong()).isEqualTo(10);
    assertThat(ended.json().get("focus_score").asDouble()).isBetween(0.0, 100.0);
  }

  @Test
  void endingASessionStopsItsRecording() throws Exception {
    String session = api.createSession(alice);
    assertThat(api.post("/api/recordings/sessions/" + session + "/start?fps=15", alice)
            .status())
        .isEqualTo(200);
    try (FrameSocket socket = FrameSocket.connect(api.http(), ws(session, alice, true))) {
      for (int i = 0; i < 3; i++) {
        socket.sendBinary(TestFrames.faceJpeg());
        assertThat(socket.next(REPLY).get("recording").get("active").asBoolean())
            .isTrue();
        Thread.sleep(150);
      }
      // The spec's fetch sends this body without a Content-Type header.
      ApiClient.Response ended = api.send(
          "POST", "/api/focus/sessions/" + session + "/end", alice, "{\"status\":\"completed\"}");
      assertThat(ended.status()).as(ended.text()).isEqualTo(200);
      JsonNode recording = ended.json().get("recording");
      assertThat(recording.get("status").asText()).isEqualTo("completed");
      assertThat(recording.get("fps").asDouble()).isEqualTo(15.0);
      assertThat(recording.get("frames_received").asLong()).isEqualTo(3);

      // The socket learns the session is over.
      socket.sendBinary(TestFrames.faceJpeg());
      assertThat(socket.next(REPLY).get("type").asText()).isEqualTo("session_ended");
      assertThat(socket.closeCode(REPLY)).isEqualTo(1000);
    }
    assertThat(server.recordings().active("alice", session)).isEmpty();
    assertThat(api.post("/api/recordings/sessions/" + session + "/stop", alice).status())
        .isEqualTo(409);
  }

  @Test
  void framesWithoutRecordingEnabledAreOnlyAnalysed() {
    String session = api.createSession(alice);
    try (FrameSocket socket = FrameSocket.connect(api.http(), ws(session, alice, false))) {
      socket.sendBinary(TestFrames.faceJpeg());
      JsonNode reply = socket.next(REPLY);
      assertThat(reply.get("faces_detected").asInt()).isEqualTo(1);
      assertThat(reply.get("recording").get("enabled").asBoolean()).isFalse();
      assertThat(reply.get("recording").get("active").asBoolean()).isFalse();
    }
    assertThat(api.get("/api/focus/sessions/" + session, alice)
            .json()
            .get("frames_analysed")
            .asLong())
        .isEqualTo(1);
  }
}
