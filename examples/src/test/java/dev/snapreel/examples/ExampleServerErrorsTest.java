package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.snapreel.examples.api.HostLimits;
import dev.snapreel.examples.auth.TokenService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error the API promises, with its status and a JSON message: 400/422 bad parameters, 401 bad
 * tokens, 404 unknown or someone else's ids, 409 conflicts, 413 too large, 503 over capacity; and
 * bad frames on the WebSocket.
 */
class ExampleServerErrorsTest {
  static final String SECRET = ExampleServerFlowTest.SECRET;
  static final Duration REPLY = Duration.ofSeconds(20);

  @TempDir
  static Path recordings;

  static ExampleServer server;
  static ApiClient api;
  static String alice;
  static String bob;
  /** Alice's session with one finished recording. */
  static String aliceSession;

  static String aliceRecording;

  @BeforeAll
  static void startServer() {
    // maxActiveRecordings 2: the capacity test fills it. Alice opens many sessions here: the
    // per-user session limit has its own test (ExampleServerLimitsTest).
    server = ExampleServer.start(ExampleServerFlowTest.settings(recordings, SECRET)
        .withMaxFrameBytes(64 * 1024)
        .withLimits(HostLimits.defaults().withMaxOpenSessionsPerUser(100)));
    api = new ApiClient(server.baseUri());
    alice = server.tokens().issueAccess("alice", Duration.ofHours(1));
    bob = server.tokens().issueAccess("bob", Duration.ofHours(1));
    aliceSession = api.createSession(alice);
    ApiClient.Response started =
        api.post("/api/recordings/sessions/" + aliceSession + "/start?fps=15", alice);
    assertThat(started.status()).as(started.text()).isEqualTo(200);
    aliceRecording = started.json().get("recording_id").asText();
    assertThat(api.post("/api/recordings/sessions/" + aliceSession + "/stop", alice)
            .status())
        .isEqualTo(200);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static void assertError(ApiClient.Response r, int status) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode body = r.json();
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).isNotBlank();
  }

  /** Every endpoint, to be called with bad credentials. */
  static List<ApiClient.Response> everyEndpoint(String token) {
    String s = aliceSession;
    String r = aliceRecording;
    return List.of(
        api.send("POST", "/api/focus/sessions", token, "{}"),
        api.get("/api/focus/sessions/" + s, token),
        api.send("POST", "/api/focus/sessions/" + s + "/end", token, "{}"),
        api.post("/api/recordings/sessions/" + s + "/start", token),
        api.post("/api/recordings/sessions/" + s + "/stop", token),
        api.get("/api/recordings/sessions/" + s, token),
        api.get("/api/recordings/", token),
        api.get("/api/recordings/" + r, token),
        api.get("/api/recordings/" + r + "/download", token),
        api.post("/api/recordings/" + r + "/download-token", token),
        api.delete("/api/recordings/" + r, token));
  }

  // ---- 401 -------------------------------------------------------------------------------------

  @Test
  void missingTokenIs401Everywhere() {
    for (ApiClient.Response r : everyEndpoint(null)) {
      assertError(r, 401);
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
  }

  @Test
  void theDemoTokenEndpointIsOffWhenASecretIsConfigured() {
    assertError(api.get("/api/dev/token?user_id=alice", null), 404);
  }

  @Test
  void tamperedTokenIs401() {
    String[] parts = alice.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("alice", "bobby");
    String forged = parts[0] + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
    everyEndpoint(forged).forEach(r -> assertError(r, 401));
    String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A")
        + parts[2].substring(1);
    assertError(api.get("/api/recordings/", badSignature), 401);
  }

  @Test
  void expiredTokenIs401() {
    Clock yesterday = Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC);
    String expired =
        TokenService.create(SECRET, yesterday).issueAccess("alice", Duration.ofHours(1));
    everyEndpoint(expired).forEach(r -> assertError(r, 401));
  }

  @Test
  void algNoneAndOtherAlgorithmsAre401() throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long exp = Instant.now().plusSeconds(3600).getEpochSecond();
    String payload = b64.encodeToString(
        ("{\"sub\":\"alice\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
    String none =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "." + payload + ".";
    everyEndpoint(none).forEach(r -> assertError(r, 401));

    // Same secret, different HMAC: only HS256 is accepted.
    SignedJWT hs512 = new SignedJWT(
        new JWSHeader(JWSAlgorithm.HS512),
        new JWTClaimsSet.Builder()
            .subject("alice")
            .expirationTime(new Date(exp * 1000))
            .build());
    hs512.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    assertError(api.get("/api/recordings/", hs512.serialize()), 401);

    String otherSecret = TokenService.create("another-secret-another-secret-another-secret")
        .issueAccess("alice", Duration.ofHours(1));
    assertError(api.get("/api/recordings/", otherSecret), 401);
    assertError(api.get("/api/recordings/", "not-a-jwt"), 401);
  }

  @Test
  void downloadTokensOnlyDownloadTheirOwnRecording() {
    String download = server.tokens().issueDownload("alice", aliceRecording, Duration.ofMinutes(5));
    assertError(api.get("/api/recordings/", download), 401); // not an access token
    assertThat(api.get("/api/recordings/" + aliceRecording + "/download?token=" + download, null)
            .status())
        .isEqualTo(200);
    String otherRecording =
        server.tokens().issueDownload("alice", "some-other-id", Duration.ofMinutes(5));
    assertError(
        api.get("/api/recordings/" + aliceRecording + "/download?token=" + otherRecording, null),
        401);
    // An access token is not accepted in the URL of plain HTTP endpoints.
    assertError(
        api.get("/api/recordings/" + aliceRecording + "/download?token=" + alice, null), 401);
  }

  @Test
  void webSocketRequiresAValidTokenBeforeTheUpgrade() {
    String base = "ws://localhost:" + server.port() + "/api/focus/ws/" + aliceSession
        + "?enable_recording=true";
    assertThatThrownBy(() -> FrameSocket.connect(api.http(), URI.create(base)))
        .isInstanceOfSatisfying(
            FrameSocket.Refused.class, e -> assertThat(e.status).isEqualTo(401));
    assertThatThrownBy(() -> FrameSocket.connect(api.http(), URI.create(base + "&token=garbage")))
        .isInstanceOfSatisfying(
            FrameSocket.Refused.class, e -> assertThat(e.status).isEqualTo(401));
  }

  // ---- 404: unknown, malformed, or someone else's ----------------------------------------------

  @Test
  void anotherUsersSessionAndRecordingLookUnknown() {
    List<ApiClient.Response> asBob = List.of(
        api.get("/api/focus/sessions/" + aliceSession, bob),
        api.send("POST", "/api/focus/sessions/" + aliceSession + "/end", bob, "{}"),
        api.post("/api/recordings/sessions/" + aliceSession + "/start", bob),
        api.post("/api/recordings/sessions/" + aliceSession + "/stop", bob),
        api.get("/api/recordings/sessions/" + aliceSession, bob),
        api.get("/api/recordings/" + aliceRecording, bob),
        api.get("/api/recordings/" + aliceRecording + "/download", bob),
        api.post("/api/recordings/" + aliceRecording + "/download-token", bob),
        api.delete("/api/recordings/" + aliceRecording, bob));
    for (ApiClient.Response r : asBob) {
      assertError(r, 404);
      assertThat(r.text()).doesNotContain("alice");
    }
    assertThat(api.get("/api/recordings/", bob).json().get("total").asInt()).isZero();
    assertThatThrownBy(() -> FrameSocket.connect(
            api.http(),
            URI.create("ws://localhost:" + server.port() + "/api/focus/ws/" + aliceSession
                + "?token=" + bob)))
        .isInstanceOfSatisfying(
            FrameSocket.Refused.class, e -> assertThat(e.status).isEqualTo(404));
    // Still there for its owner.
    assertThat(api.get("/api/recordings/" + aliceRecording, alice).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"does-not-exist", "..%2F..%2Fetc%2Fpasswd", "..%2F", "%2E%2E", "alice%2Fx"})
  void unknownAndTraversalLikeIdsAre404(String id) {
    List<ApiClient.Response> responses = List.of(
        api.get("/api/focus/sessions/" + id, alice),
        api.post("/api/recordings/sessions/" + id + "/start", alice),
        api.post("/api/recordings/sessions/" + id + "/stop", alice),
        api.get("/api/recordings/sessions/" + id, alice),
        api.get("/api/recordings/" + id, alice),
        api.get("/api/recordings/" + id + "/download", alice),
        api.delete("/api/recordings/" + id, alice));
    for (ApiClient.Response r : responses) {
      // Jetty itself may refuse an ambiguous path with 400; either way nothing is served.
      assertThat(r.status()).as(id + " " + r.text()).isIn(400, 404);
      assertThat(r.text()).doesNotContain("root:");
    }
  }

  // ---- 400 / 422 ------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fps=abc",
        "fps=5",
        "fps=61",
        "resolution=12x",
        "resolution=1921x1080",
        "resolution=99999x2",
        "codec=foo",
        "codec=%20",
        "quality=0",
        "quality=2.5"
      })
  void badRecordingParametersAre422(String query) {
    String session = api.createSession(alice);
    ApiClient.Response r =
        api.post("/api/recordings/sessions/" + session + "/start?" + query, alice);
    assertError(r, 422);
    assertThat(r.json().get("field").asText()).isEqualTo(query.substring(0, query.indexOf('=')));
    assertThat(server.recordings().active("alice", session)).isEmpty();
  }

  @Test
  void badSessionBodiesAre400Or422() {
    assertError(api.post("/api/focus/sessions", alice, "{not json"), 400);
    assertError(api.post("/api/focus/sessions", alice, "[1,2]"), 400);
    assertError(api.post("/api/focus/sessions", alice, "{\"initial_score\":500}"), 422);
    assertError(api.post("/api/focus/sessions", alice, "{\"initial_score\":\"high\"}"), 422);
    assertError(api.post("/api/focus/sessions", alice, "{\"session_name\":42}"), 422);
    String session = api.createSession(alice);
    assertError(
        api.post("/api/focus/sessions/" + session + "/end", alice, "{\"status\":\"exploded\"}"),
        422);
  }

  // ---- 409 -------------------------------------------------------------------------------------

  @Test
  void conflictsAre409() {
    String session = api.createSession(alice);
    assertError(
        api.post("/api/recordings/sessions/" + session + "/stop", alice), 409); // not recording
    ApiClient.Response started =
        api.post("/api/recordings/sessions/" + session + "/start?fps=15", alice);
    assertThat(started.status()).isEqualTo(200);
    String recording = started.json().get("recording_id").asText();
    try {
      assertError(
          api.post("/api/recordings/sessions/" + session + "/start", alice),
          409); // already recording
      assertError(api.get("/api/recordings/" + recording + "/download", alice), 409);
      assertError(api.delete("/api/recordings/" + recording, alice), 409);
    } finally {
      assertThat(
              api.post("/api/recordings/sessions/" + session + "/stop", alice).status())
          .isEqualTo(200);
    }
    assertThat(api.post("/api/focus/sessions/" + session + "/end", alice, "{}").status())
        .isEqualTo(200);
    assertError(
        api.post("/api/focus/sessions/" + session + "/end", alice, "{}"), 409); // already ended
    assertError(
        api.post("/api/recordings/sessions/" + session + "/start", alice), 409); // session over
  }

  // ---- 413 / 503 ------------------------------------------------------------------------------

  @Test
  void oversizedRequestBodyIs413() {
    String big = "{\"session_name\":\"" + "x".repeat(100_000) + "\"}";
    assertError(api.post("/api/focus/sessions", alice, big), 413);
  }

  /**
   * The server reads and discards a moderately oversized body before answering, so the client
   * always gets the 413 rather than a connection reset (before that, about 1 in 100 of these
   * requests saw "header parser received no bytes").
   */
  @RepeatedTest(50)
  void anOversizedBodyIsAlwaysAnswered413NotADroppedConnection() {
    String big = "{\"session_name\":\"" + "x".repeat(900_000) + "\"}";
    assertError(api.post("/api/focus/sessions", alice, big), 413);
  }

  @Test
  void startingBeyondCapacityIs503() {
    String first = api.createSession(alice);
    String second = api.createSession(alice);
    String third = api.createSession(bob);
    assertThat(api.post("/api/recordings/sessions/" + first + "/start?fps=15", alice)
            .status())
        .isEqualTo(200);
    assertThat(api.post("/api/recordings/sessions/" + second + "/start?fps=15", alice)
            .status())
        .isEqualTo(200);
    try {
      ApiClient.Response r = api.post("/api/recordings/sessions/" + third + "/start?fps=15", bob);
      assertError(r, 503);
      assertThat(r.header("Retry-After")).isNotNull();
    } finally {
      api.post("/api/recordings/sessions/" + first + "/stop", alice);
      api.post("/api/recordings/sessions/" + second + "/stop", alice);
    }
    assertThat(
            api.post("/api/recordings/sessions/" + third + "/start?fps=15", bob).status())
        .isEqualTo(200);
    assertThat(api.post("/api/recordings/sessions/" + third + "/stop", bob).status())
        .isEqualTo(200);
  }

  // ---- bad frames on the WebSocket -------------------------------------------------------------

  @Test
  void oversizedFrameClosesOnlyItsOwnConnection() {
    String session = api.createSession(alice);
    URI uri = URI.create(
        "ws://localhost:" + server.port() + "/api/focus/ws/" + session + "?token=" + alice);
    try (FrameSocket bystander = FrameSocket.connect(api.http(), uri);
        FrameSocket offender = FrameSocket.connect(api.http(), uri)) {
      try {
        offender.sendBinary(new byte[200 * 1024]); // limit is 64 KiB
      } catch (java.util.concurrent.CompletionException e) {
        // The server may close the connection before the client has finished sending.
      }
      assertThat(offender.closeCode(REPLY)).isEqualTo(1009);

      bystander.sendBinary(TestFrames.faceJpeg());
      assertThat(bystander.next(REPLY).get("type").asText()).isEqualTo("detection");
    }
  }

  @Test
  void oversizedDataUrlIsRefusedWithAnError() {
    String session = api.createSession(alice);
    URI uri = URI.create(
        "ws://localhost:" + server.port() + "/api/focus/ws/" + session + "?token=" + alice);
    try (FrameSocket socket = FrameSocket.connect(api.http(), uri)) {
      // Under the text-message limit (base64 overhead allowed) but over the frame limit once
      // decoded.
      String payload = Base64.getEncoder().encodeToString(new byte[64 * 1024 + 600]);
      socket.sendText("data:image/jpeg;base64," + payload);
      JsonNode error = socket.next(REPLY);
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("status").asInt()).isEqualTo(413);
      socket.sendBinary(TestFrames.faceJpeg());
      assertThat(socket.next(REPLY).get("type").asText()).isEqualTo("detection");
    }
  }

  @Test
  void corruptFramesAreReportedAndTheConnectionAndRecordingGoOn() {
    String session = api.createSession(alice);
    assertThat(api.post("/api/recordings/sessions/" + session + "/start?fps=15", alice)
            .status())
        .isEqualTo(200);
    URI uri = URI.create("ws://localhost:" + server.port() + "/api/focus/ws/" + session
        + "?enable_recording=true&token=" + alice);
    try (FrameSocket socket = FrameSocket.connect(api.http(), uri)) {
      socket.sendBinary("definitely not an image".getBytes(StandardCharsets.UTF_8));
      JsonNode notImage = socket.next(REPLY);
      assertThat(notImage.get("type").asText()).isEqualTo("error");
      assertThat(notImage.get("status").asInt()).isEqualTo(422);

      // Intact header, garbage body cut off without an end-of-image marker: refused before
      // decoding.
      socket.sendBinary(TestFrames.corruptJpeg());
      JsonNode corrupt = socket.next(REPLY);
      assertThat(corrupt.get("type").asText()).as(corrupt.toString()).isEqualTo("error");
      assertThat(corrupt.get("status").asInt()).isEqualTo(422);
      assertThat(corrupt.get("error").asText()).isEqualTo("invalid_frame");
      assertThat(corrupt.get("message").asText()).contains("JPEG");
      assertThat(corrupt.get("recording").get("frames_rejected").asLong()).isEqualTo(2);

      socket.sendText("data:image/jpeg;base64,@@@not-base64@@@");
      assertThat(socket.next(REPLY).get("status").asInt()).isEqualTo(422);
      socket.sendText("{\"type\":\"dance\"}");
      assertThat(socket.next(REPLY).get("status").asInt()).isEqualTo(400);

      socket.sendBinary(TestFrames.faceJpeg());
      JsonNode ok = socket.next(REPLY);
      assertThat(ok.get("type").asText()).isEqualTo("detection");
      assertThat(ok.get("recording").get("active").asBoolean()).isTrue();
    } finally {
      ApiClient.Response stopped = api.post("/api/recordings/sessions/" + session + "/stop", alice);
      assertThat(stopped.status()).isEqualTo(200);
      assertThat(stopped.json().get("status").asText()).isEqualTo("completed");
      assertThat(stopped.json().get("frames_rejected").asLong()).isGreaterThanOrEqualTo(1);
    }
  }
}
