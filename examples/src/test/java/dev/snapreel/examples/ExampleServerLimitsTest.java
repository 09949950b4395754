package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.examples.api.HostLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody takes the host from the others: focus sessions and sockets per user answer 429 beyond
 * their limit, a socket's frames beyond its rate are refused undecoded, every frame header is
 * checked against the pixel limit, slow detection times out, and sockets close at token expiry.
 */
class ExampleServerLimitsTest {
  static final Duration REPLY = Duration.ofSeconds(20);

  @TempDir
  static Path recordings;

  static ExampleServer server;
  static ApiClient api;

  @BeforeAll
  static void startServer() {
    HostLimits limits = HostLimits.defaults()
        .withMaxOpenSessionsPerUser(3)
        .withMaxSocketsPerUser(2)
        .withMaxFramesPerSecond(2)
        .withMaxFramePixels(TestFrames.WIDTH * TestFrames.HEIGHT);
    server =
        ExampleServer.start(ExampleServerFlowTest.settings(recordings, ExampleServerFlowTest.SECRET)
            .withMaxActiveRecordings(8)
            .withLimits(limits));
    api = new ApiClient(server.baseUri());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static String token(String user) {
    return server.tokens().issueAccess(user, Duration.ofHours(1));
  }

  static URI ws(String session, String token, boolean recording) {
    return URI.create("ws://localhost:" + server.port() + "/api/focus/ws/" + session + "?token="
        + token + (recording ? "&enable_recording=true" : ""));
  }

  @Test
  void openFocusSessionsPerUserAreCappedWith429() {
    String alice = token("limits-alice");
    String first = api.createSession(alice);
    api.createSession(alice);
    api.createSession(alice);

    ApiClient.Response fourth = api.post("/api/focus/sessions", alice, "{}");
    ExampleServerErrorsTest.assertError(fourth, 429);
    assertThat(fourth.header("Retry-After")).isNotNull();
    assertThat(fourth.json().get("message").asText()).contains("the limit is 3");
    assertThat(api.post("/api/focus/sessions", token("limits-bob"), "{}").status())
        .isEqualTo(201);

    assertThat(api.post("/api/focus/sessions/" + first + "/end", alice, "{}").status())
        .isEqualTo(200);
    assertThat(api.post("/api/focus/sessions", alice, "{}").status()).isEqualTo(201);
  }

  @Test
  void webSocketsPerUserAreCappedWith429AndClosingOneFreesASlot() throws Exception {
    String carol = token("limits-carol");
    String session = api.createSession(carol);
    FrameSocket one = FrameSocket.connect(api.http(), ws(session, carol, false));
    try (FrameSocket two = FrameSocket.connect(api.http(), ws(session, carol, false))) {
      assertThatThrownBy(() -> FrameSocket.connect(api.http(), ws(session, carol, false)))
          .isInstanceOfSatisfying(
              FrameSocket.Refused.class, e -> assertThat(e.status).isEqualTo(429));
      String dave = token("limits-dave");
      try (FrameSocket other =
          FrameSocket.connect(api.http(), ws(api.createSession(dave), dave, false))) {
        other.sendBinary(TestFrames.faceJpeg());
        assertThat(other.next(REPLY).get("type").asText()).isEqualTo("detection");
      }
      one.close();
      FrameSocket again = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (again == null) {
        try {
          again = FrameSocket.connect(api.http(), ws(session, carol, false));
        } catch (FrameSocket.Refused e) {
          assertThat(System.nanoTime()).as("slot freed after close").isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      again.close();
    }
  }

  @Test
  void framesBeyondTheRatePerSocketGetAnErrorAndAreNotDecodedOrRecorded() {
    String erin = token("limits-erin");
    String session = api.createSession(erin);
    assertThat(api.post("/api/recordings/sessions/" + session + "/start?fps=15", erin)
            .status())
        .isEqualTo(200);
    int sent = 10;
    List<JsonNode> replies = new ArrayList<>();
    try (FrameSocket socket = FrameSocket.connect(api.http(), ws(session, erin, true))) {
      byte[] frame = TestFrames.faceJpeg();
      for (int i = 0; i < sent; i++) {
        socket.sendBinary(frame);
      }
      for (int i = 0; i < sent; i++) {
        replies.add(socket.next(REPLY));
      }
    }
    List<JsonNode> limited =
        replies.stream().filter(r -> r.get("type").asText().equals("error")).toList();
    long analysed =
        replies.stream().filter(r -> r.get("type").asText().equals("detection")).count();
    // Burst of 2, refilled at 2/s while ten frames are handled back to back.
    assertThat(analysed).as(replies.toString()).isBetween(2L, 5L);
    assertThat(limited).hasSize(sent - (int) analysed);
    for (JsonNode e : limited) {
      assertThat(e.get("status").asInt()).isEqualTo(429);
      assertThat(e.get("error").asText()).isEqualTo("rate_limited");
      assertThat(e.get("message").asText()).contains("frames per second");
    }
    JsonNode stopped =
        api.post("/api/recordings/sessions/" + session + "/stop", erin).json();
    assertThat(stopped.get("frames_received").asLong()).isEqualTo(analysed);
  }

  @Test
  void aHugeSecondFrameHeaderIsRefusedByTheDetectorAndTheRecordingBeforeDecoding() {
    String fay = token("limits-fay");
    String session = api.createSession(fay);
    assertThat(api.post("/api/recordings/sessions/" + session + "/start?fps=15", fay)
            .status())
        .isEqualTo(200);
    try (FrameSocket socket = FrameSocket.connect(api.http(), ws(session, fay, true))) {
      socket.sendBinary(TestFrames.faceJpegWithSecondFrameHeader(20000, 20000));
      JsonNode error = socket.next(REPLY);
      assertThat(error.get("type").asText()).as(error.toString()).isEqualTo("error");
      assertThat(error.get("status").asInt()).isEqualTo(422);
      assertThat(error.get("message").asText()).contains("20000x20000 exceeds the limit");
      assertThat(error.get("recording").get("frames_rejected").asLong()).isEqualTo(1);
      assertThat(error.get("recording").get("frames_received").asLong()).isZero();
    }
    JsonNode stopped =
        api.post("/api/recordings/sessions/" + session + "/stop", fay).json();
    assertThat(stopped.get("frames_rejected").asLong()).isEqualTo(1);
  }

  @Test
  void theSocketClosesWith1008WhenItsAccessTokenExpires() {
    String longLived = token("limits-gus");
    String session = api.createSession(longLived);
    String shortLived = server.tokens().issueAccess("limits-gus", Duration.ofSeconds(3));
    try (FrameSocket socket = FrameSocket.connect(api.http(), ws(session, shortLived, false))) {
      socket.sendBinary(TestFrames.faceJpeg());
      assertThat(socket.next(REPLY).get("type").asText()).isEqualTo("detection");
      assertThat(socket.closeCode(Duration.ofSeconds(15))).isEqualTo(1008);
    }
  }

  @Test
  void slowDetectionTimesOutWithAnErrorInsteadOfHoldingTheServerThread(@TempDir Path dir) {
    HostLimits impatient = HostLimits.defaults().withDetectionTimeout(Duration.ofNanos(1));
    try (ExampleServer strict = ExampleServer.start(
        ExampleServerFlowTest.settings(dir, ExampleServerFlowTest.SECRET).withLimits(impatient))) {
      ApiClient client = new ApiClient(strict.baseUri());
      String hal = strict.tokens().issueAccess("limits-hal", Duration.ofHours(1));
      String session = client.createSession(hal);
      URI uri = URI.create(
          "ws://localhost:" + strict.port() + "/api/focus/ws/" + session + "?token=" + hal);
      try (FrameSocket socket = FrameSocket.connect(client.http(), uri)) {
        socket.sendBinary(TestFrames.faceJpeg());
        JsonNode reply = socket.next(REPLY);
        assertThat(reply.get("type").asText()).as(reply.toString()).isEqualTo("error");
        assertThat(reply.get("status").asInt()).isEqualTo(504);
        assertThat(reply.get("error").asText()).isEqualTo("detection_timeout");
        // The connection goes on: ping still answers.
        socket.sendText("{\"type\":\"ping\"}");
        assertThat(socket.next(REPLY).get("type").asText()).isEqualTo("pong");
      }
    }
  }

  @Test
  void aUsersThirdActiveRecordingIs429WhileOthersStillStart() {
    String ivy = token("limits-ivy");
    List<String> sessions = List.of(api.createSession(ivy), api.createSession(ivy));
    String third = api.createSession(ivy);
    try {
      for (String s : sessions) {
        assertThat(
                api.post("/api/recordings/sessions/" + s + "/start?fps=15", ivy).status())
            .isEqualTo(200);
      }
      ApiClient.Response refused =
          api.post("/api/recordings/sessions/" + third + "/start?fps=15", ivy);
      ExampleServerErrorsTest.assertError(refused, 429);
      assertThat(refused.header("Retry-After")).isNotNull();
      String jay = token("limits-jay");
      String other = api.createSession(jay);
      assertThat(api.post("/api/recordings/sessions/" + other + "/start?fps=15", jay)
              .status())
          .isEqualTo(200);
      assertThat(api.post("/api/recordings/sessions/" + other + "/stop", jay).status())
          .isEqualTo(200);
    } finally {
      for (String s : sessions) {
        api.post("/api/recordings/sessions/" + s + "/stop", ivy);
      }
    }
    assertThat(
            api.post("/api/recordings/sessions/" + third + "/start?fps=15", ivy).status())
        .isEqualTo(200);
    assertThat(api.post("/api/recordings/sessions/" + third + "/stop", ivy).status())
        .isEqualTo(200);
  }

  @Test
  void recordingsEndByThemselvesAtTheMaximumDurationAndWhenIdleAndSayWhy(@TempDir Path dir)
      throws Exception {
    ServerSettings settings = ExampleServerFlowTest.settings(dir, ExampleServerFlowTest.SECRET)
        .withLimits(ServerSettings.limitsFromEnvironment(
            java.util.Map.of("MAX_RECORDING_SECONDS", "2", "RECORDING_IDLE_STOP_SECONDS", "1")));
    try (ExampleServer short_ = ExampleServer.start(settings)) {
      ApiClient client = new ApiClient(short_.baseUri());
      String kim = short_.tokens().issueAccess("limits-kim", Duration.ofHours(1));
      // Fed every 200 ms: ends at the 2 s maximum.
      String fed = client.createSession(kim);
      String fedId = client
          .post("/api/recordings/sessions/" + fed + "/start?fps=15", kim)
          .json()
          .get("recording_id")
          .asText();
      // Never fed: ends after 1 s idle.
      String idle = client.createSession(kim);
      String idleId = client
          .post("/api/recordings/sessions/" + idle + "/start?fps=15", kim)
          .json()
          .get("recording_id")
          .asText();
      URI uri = URI.create("ws://localhost:" + short_.port() + "/api/focus/ws/" + fed
          + "?enable_recording=true&token=" + kim);
      try (FrameSocket socket = FrameSocket.connect(client.http(), uri)) {
        byte[] frame = TestFrames.faceJpeg();
        for (int i = 0; i < 15; i++) {
          socket.sendBinary(frame);
          socket.next(REPLY);
          Thread.sleep(200);
        }
      }
      JsonNode capped = awaitEnded(client, kim, fedId);
      assertThat(capped.get("stop_reason").asText()).isEqualTo("max_duration");
      assertThat(capped.get("status").asText()).isEqualTo("completed");
      // Counted from the start request; the video begins with the first snapshot, a little later.
      assertThat(capped.get("duration_seconds").asDouble())
          .isGreaterThan(1.0)
          .isLessThanOrEqualTo(2.0);
      JsonNode idled = awaitEnded(client, kim, idleId);
      assertThat(idled.get("stop_reason").asText()).isEqualTo("idle");
      // The session is free again once its recording ended.
      assertThat(client
              .post("/api/recordings/sessions/" + idle + "/start?fps=15", kim)
              .status())
          .isEqualTo(200);
    }
  }

  private static JsonNode awaitEnded(ApiClient client, String token, String recordingId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode m = client.get("/api/recordings/" + recordingId, token).json();
      String status = m.path("status").asText();
      if (!status.equals("recording") && !status.equals("finalizing")) {
        return m;
      }
      assertThat(System.nanoTime()).as("ended within 20 s: " + m).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
