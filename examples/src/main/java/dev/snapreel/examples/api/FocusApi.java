package dev.snapreel.examples.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingService;
import dev.snapreel.examples.focus.FocusSession;
import dev.snapreel.examples.focus.FocusSessions;
import dev.snapreel.examples.focus.SessionStatus;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.storage.StorageKeys;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Focus sessions: {@code POST /api/focus/sessions} and {@code POST
 * /api/focus/sessions/{session_id}/end} (which stops the session's recording), plus {@code GET
 * /api/focus/sessions/{session_id}}; and, in demo mode only, {@code GET /api/dev/token}.
 */
public final class FocusApi {
  /** Lifetime of tokens handed out by the demo endpoint. */
  public static final Duration DEMO_TOKEN_TTL = Duration.ofHours(12);

  private static final int MAX_TEXT = 200;

  private final Authenticator auth;
  private final FocusSessions sessions;
  private final RecordingService recordings;

  FocusApi(Authenticator auth, FocusSessions sessions, RecordingService recordings) {
    this.auth = requireNonNull(auth);
    this.sessions = requireNonNull(sessions);
    this.recordings = requireNonNull(recordings);
  }

  void install(JavalinConfig config, boolean demoTokens) {
    config.routes.post("/api/focus/sessions", this::create);
    config.routes.get("/api/focus/sessions/{session_id}", this::show);
    config.routes.post("/api/focus/sessions/{session_id}/end", this::end);
    if (demoTokens) {
      // DEV ONLY: anyone can mint a token. Registered only while no JWT_SECRET is configured.
      config.routes.get("/api/dev/token", this::demoToken);
    }
  }

  private void create(Context ctx) {
    String user = auth.user(ctx);
    ObjectNode body = Json.bodyObject(ctx);
    String name = optionalText(body, "session_name");
    String subject = optionalText(body, "subject");
    double initial = 100;
    JsonNode score = body.get("initial_score");
    if (score != null && !score.isNull()) {
      if (!score.isNumber() || !(score.asDouble() >= 0 && score.asDouble() <= 100)) {
        throw invalid("initial_score", "must be a number within 0..100");
      }
      initial = score.asDouble();
    }
    FocusSession s = sessions.open(user, name == null ? "Focus session" : name, subject, initial);
    Json.send(ctx, 201, view(s));
  }

  private void show(Context ctx) {
    String user = auth.user(ctx);
    Json.send(ctx, 200, view(find(user, ctx.pathParam("session_id"))));
  }

  private void end(Context ctx) {
    String user = auth.user(ctx);
    FocusSession s = find(user, ctx.pathParam("session_id"));
    ObjectNode body = Json.bodyObject(ctx);
    String statusText = optionalText(body, "status");
    SessionStatus status = statusText == null
        ? SessionStatus.COMPLETED
        : SessionStatus.endStatus(statusText)
            .orElseThrow(() -> invalid("status", "must be completed, cancelled or abandoned"));
    if (!sessions.end(s, status)) {
      throw new HttpResponseException(
          409, "session " + s.sessionId() + " has already ended", Map.of());
    }
    Map<String, Object> view = view(s);
    // Ending a session stops its recording; the response carries the finished recording.
    Optional<ActiveRecording> active = recordings.active(user, s.sessionId());
    if (active.isPresent()) {
      RecordingMetadata stopped = active.get().stop();
      view.put("recording", Json.recording(stopped));
    }
    Json.send(ctx, 200, view);
  }

  private void demoToken(Context ctx) {
    String user = Optional.ofNullable(ctx.queryParam("user_id")).orElse("demo");
    if (!StorageKeys.isSegment(user)) {
      throw invalid("user_id", "1-128 of A-Z a-z 0-9 . _ @ -");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", auth.tokens().issueAccess(user, DEMO_TOKEN_TTL));
    body.put("token_type", "bearer");
    body.put("user_id", user);
    body.put("expires_in", DEMO_TOKEN_TTL.toSeconds());
    body.put("warning", "development only: disabled when JWT_SECRET is set");
    Json.send(ctx, 200, body);
  }

  private FocusSession find(String user, String sessionId) {
    return sessions
        .find(user, sessionId)
        .orElseThrow(
            () -> new HttpResponseException(404, "no session " + safe(sessionId), Map.of()));
  }

  static Map<String, Object> view(FocusSession s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("session_id", s.sessionId());
    v.put("user_id", s.ownerId());
    v.put("session_name", s.sessionName());
    v.put("subject", s.subject());
    v.put("status", s.status().wireName());
    v.put("initial_score", s.initialScore());
    v.put("focus_score", round(s.focusScore()));
    v.put("frames_analysed", s.framesAnalysed());
    v.put("started_at", s.startedAt().toString());
    v.put("ended_at", s.endedAt() == null ? null : String.valueOf(s.endedAt()));
    return v;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** An id as echoed in a message: only when it is a plausible id, never arbitrary input. */
  static String safe(String id) {
    return StorageKeys.isSegment(id) ? id : "(invalid id)";
  }

  private static @Nullable String optionalText(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > MAX_TEXT) {
      throw invalid(field, "must be a non-empty string of at most " + MAX_TEXT + " characters");
    }
    return n.asText().trim();
  }

  static HttpResponseException invalid(String field, String message) {
    return new HttpResponseException(422, field + ": " + message, Map.of("field", field));
  }
}
