package dev.snapreel.examples.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.snapreel.ActiveRecording;
import dev.snapreel.RecordingOptions;
import dev.snapreel.RecordingService;
import dev.snapreel.UnsupportedCodecException;
import dev.snapreel.examples.focus.FocusSession;
import dev.snapreel.examples.focus.FocusSessions;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.StorageKeys;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The specification's recording endpoints under {@code /api/recordings}: start/stop/list per
 * session, list all, download (with HTTP Range) and delete; plus {@code GET
 * /api/recordings/{recording_id}} and {@code POST /api/recordings/{recording_id}/download-token}
 * for players that cannot send headers.
 */
public final class RecordingApi {
  /** How long a URL from the download-token endpoint works. */
  public static final Duration DOWNLOAD_TOKEN_TTL = Duration.ofMinutes(15);

  private final Authenticator auth;
  private final FocusSessions sessions;
  private final RecordingService recordings;

  RecordingApi(Authenticator auth, FocusSessions sessions, RecordingService recordings) {
    this.auth = requireNonNull(auth);
    this.sessions = requireNonNull(sessions);
    this.recordings = requireNonNull(recordings);
  }

  void install(JavalinConfig config) {
    config.routes.post("/api/recordings/sessions/{session_id}/start", this::start);
    config.routes.post("/api/recordings/sessions/{session_id}/stop", this::stop);
    config.routes.get("/api/recordings/sessions/{session_id}", this::listSession);
    config.routes.get("/api/recordings", this::listAll);
    config.routes.get("/api/recordings/{recording_id}", this::show);
    config.routes.get("/api/recordings/{recording_id}/download", this::download);
    config.routes.post("/api/recordings/{recording_id}/download-token", this::downloadToken);
    config.routes.delete("/api/recordings/{recording_id}", this::delete);
  }

  private void start(Context ctx) {
    String user = auth.user(ctx);
    FocusSession session = activeSession(user, ctx.pathParam("session_id"));
    RecordingOptions options = options(ctx);
    ActiveRecording rec;
    try {
      rec = recordings.start(user, session.sessionId(), options);
    } catch (UnsupportedCodecException e) {
      // An unknown or unavailable codec is a bad parameter, not a server failure.
      String why = String.valueOf(e.getMessage());
      // The sink's reason names the encoder; one that names a file or a path is not shown.
      throw FocusApi.invalid(
          "codec",
          why.contains("/") || why.contains("\\")
              ? "'" + FocusApi.safe(options.codec()) + "' is not available on this server"
              : why);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", "recording started");
    body.put("recording_id", rec.recordingId());
    body.put("session_id", rec.sessionId());
    body.put("fps", options.fps());
    body.put("resolution", options.resolution().toString());
    body.put("codec", options.codec());
    body.put("recording", Json.recording(rec.metadata()));
    Json.send(ctx, 200, body);
  }

  private RecordingOptions options(Context ctx) {
    return recordings
        .defaults()
        .withOverrides(
            ctx.queryParam("fps"),
            ctx.queryParam("resolution"),
            ctx.queryParam("codec"),
            ctx.queryParam("quality"));
  }

  private void stop(Context ctx) {
    String user = auth.user(ctx);
    FocusSession session = ownedSession(user, ctx.pathParam("session_id"));
    RecordingMetadata m = recordings.stop(user, session.sessionId());
    Map<String, Object> body = new LinkedHashMap<>();
    if (m.status() == RecordingStatus.FINALIZING) {
      // Stopped and kept, but not stored yet: retried in the background until it is.
      boolean full = m.error() != null && m.error().contains("no space left");
      int status = full ? 507 : 503;
      body.putAll(ApiErrors.body(
          status,
          (full ? "the server is out of storage space" : "the recording storage is unavailable")
              + ": the recording is kept and stored automatically as soon as possible (status finalizing)",
          null));
      body.put("recording", Json.recording(m));
      ctx.header("Retry-After", "30");
      Json.send(ctx, status, body);
      return;
    }
    body.put("message", "recording stopped");
    body.putAll(
        Json.MAPPER.convertValue(Json.recording(m), new TypeReference<Map<String, Object>>() {}));
    Json.send(ctx, 200, body);
  }

  private void listSession(Context ctx) {
    String user = auth.user(ctx);
    String sessionId = ctx.pathParam("session_id");
    Optional<PageRequest> paged = pageRequest(ctx);
    boolean known =
        StorageKeys.isSegment(sessionId) && sessions.find(user, sessionId).isPresent();
    if (paged.isPresent()) {
      RecordingPage page = StorageKeys.isSegment(sessionId)
          ? recordings.list(user, sessionId, paged.get())
          : RecordingPage.empty();
      if (!known && page.recordings().isEmpty() && paged.get().cursor() == null) {
        throw sessionNotFound(sessionId);
      }
      Json.send(ctx, 200, pageBody(page, sessionId, null));
      return;
    }
    List<RecordingMetadata> list =
        StorageKeys.isSegment(sessionId) ? recordings.list(user, sessionId) : List.of();
    // A session with recordings is known too (e.g. one whose session row was removed).
    if (!known && list.isEmpty()) {
      throw sessionNotFound(sessionId);
    }
    Json.send(ctx, 200, listBody(list, sessionId));
  }

  private void listAll(Context ctx) {
    String user = auth.user(ctx);
    Optional<PageRequest> paged = pageRequest(ctx);
    if (paged.isPresent()) {
      Json.send(
          ctx,
          200,
          pageBody(
              recordings.list(user, paged.get()), null, recordings.usage(user).recordings()));
      return;
    }
    Json.send(ctx, 200, listBody(recordings.list(user), null));
  }

  /**
   * {@code ?limit=&cursor=}: a page (limit 1..1000, default 50 when only a cursor is given), or
   * empty for the specification's unpaged list.
   */
  static Optional<PageRequest> pageRequest(Context ctx) {
    String limitText = ctx.queryParam("limit");
    String cursor = ctx.queryParam("cursor");
    if (limitText == null && cursor == null) {
      return Optional.empty();
    }
    int limit = PageRequest.DEFAULT_LIMIT;
    if (limitText != null) {
      long parsed;
      try {
        parsed = Long.parseLong(limitText.trim());
      } catch (NumberFormatException e) {
        throw FocusApi.invalid("limit", "must be an integer within 1.." + PageRequest.MAX_LIMIT);
      }
      if (!PageRequest.validLimit(parsed)) {
        throw FocusApi.invalid(
            "limit", "must be within 1.." + PageRequest.MAX_LIMIT + ", was " + parsed);
      }
      limit = (int) parsed;
    }
    return Optional.of(PageRequest.after(limit, cursor));
  }

  private static Map<String, Object> pageBody(
      RecordingPage page, @Nullable String sessionId, @Nullable Long total) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (sessionId != null) {
      body.put("session_id", sessionId);
    }
    if (total != null) {
      body.put("total", total);
    }
    body.put("count", page.recordings().size());
    body.put("recordings", page.recordings().stream().map(Json::recording).toList());
    body.put("next_cursor", page.nextCursor());
    return body;
  }

  private static Map<String, Object> listBody(
      List<RecordingMetadata> list, @Nullable String sessionId) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (sessionId != null) {
      body.put("session_id", sessionId);
    }
    body.put("total", list.size());
    body.put("recordings", list.stream().map(Json::recording).toList());
    return body;
  }

  private void show(Context ctx) {
    String user = auth.user(ctx);
    Json.send(ctx, 200, Json.recording(owned(user, ctx.pathParam("recording_id"))));
  }

  private void downloadToken(Context ctx) {
    String user = auth.user(ctx);
    RecordingMetadata m = owned(user, ctx.pathParam("recording_id"));
    String token = auth.tokens().issueDownload(user, m.recordingId(), DOWNLOAD_TOKEN_TTL);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("recording_id", m.recordingId());
    body.put("download_url", "/api/recordings/" + m.recordingId() + "/download?token=" + token);
    body.put("expires_in", DOWNLOAD_TOKEN_TTL.toSeconds());
    Json.send(ctx, 200, body);
  }

  private void download(Context ctx) throws IOException {
    String recordingId = ctx.pathParam("recording_id");
    String user = auth.downloadUser(ctx, recordingId);
    RecordingMetadata m = owned(user, recordingId);
    if (m.status().active()) {
      throw new HttpResponseException(
          409,
          "recording " + recordingId + " is still "
              + (m.status() == RecordingStatus.FINALIZING ? "being finalized" : "recording"),
          Map.of());
    }
    long size = m.fileSizeBytes();
    Optional<ByteRange> range;
    try {
      range = HttpRange.parse(ctx.header("Range"), size);
    } catch (HttpRange.Unsatisfiable e) {
      ctx.header("Content-Range", "bytes */" + size);
      throw new HttpResponseException(
          416, "requested range not satisfiable: " + e.getMessage(), Map.of());
    }
    // Stored in a bucket: let the client fetch it there (ranges included) instead of proxying it.
    // LocalStorage offers no such URL; S3_DOWNLOAD=stream forces proxying through this host.
    if (!"stream".equalsIgnoreCase(System.getenv("S3_DOWNLOAD"))) {
      Optional<java.net.URI> direct =
          recordings.presignedUrl(user, recordingId, DOWNLOAD_TOKEN_TTL);
      if (direct.isPresent()) {
        ctx.redirect(direct.get().toString(), io.javalin.http.HttpStatus.FOUND);
        return;
      }
    }
    ByteRange r = range.orElse(ByteRange.all(size));
    // Open before committing headers, so a missing file still gets a JSON error.
    try (InputStream in = recordings.openVideo(user, recordingId, r)) {
      ctx.status(range.isPresent() ? 206 : 200);
      ctx.contentType("video/mp4");
      ctx.header("Accept-Ranges", "bytes");
      ctx.header("Cache-Control", "private, max-age=0");
      ctx.header("Content-Disposition", "inline; filename=\"" + m.filename() + "\"");
      if (range.isPresent()) {
        ctx.header(
            "Content-Range", "bytes " + r.offset() + "-" + (r.endExclusive() - 1) + "/" + size);
      }
      ctx.res().setContentLengthLong(r.length());
      OutputStream out = ctx.res().getOutputStream();
      in.transferTo(out);
      out.flush();
    }
  }

  private void delete(Context ctx) {
    String user = auth.user(ctx);
    RecordingMetadata m = owned(user, ctx.pathParam("recording_id"));
    recordings.delete(user, m.recordingId());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", "recording deleted");
    body.put("recording_id", m.recordingId());
    body.put("deleted", true);
    Json.send(ctx, 200, body);
  }

  private RecordingMetadata owned(String user, String recordingId) {
    return recordings
        .get(user, recordingId)
        .orElseThrow(() ->
            new HttpResponseException(404, "no recording " + FocusApi.safe(recordingId), Map.of()));
  }

  private FocusSession ownedSession(String user, String sessionId) {
    return sessions.find(user, sessionId).orElseThrow(() -> sessionNotFound(sessionId));
  }

  private FocusSession activeSession(String user, String sessionId) {
    FocusSession s = ownedSession(user, sessionId);
    if (!s.isActive()) {
      throw new HttpResponseException(409, "session " + sessionId + " has ended", Map.of());
    }
    return s;
  }

  static HttpResponseException sessionNotFound(String sessionId) {
    return new HttpResponseException(404, "no session " + FocusApi.safe(sessionId), Map.of());
  }
}
