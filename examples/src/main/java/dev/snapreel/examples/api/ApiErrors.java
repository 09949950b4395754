package dev.snapreel.examples.api;

import dev.snapreel.CapacityExceededException;
import dev.snapreel.EncoderException;
import dev.snapreel.InvalidFrameException;
import dev.snapreel.InvalidOptionException;
import dev.snapreel.QuotaExceededException;
import dev.snapreel.RecordingConflictException;
import dev.snapreel.RecordingNotFoundException;
import dev.snapreel.SnapreelException;
import dev.snapreel.StorageException;
import dev.snapreel.UserLimitExceededException;
import dev.snapreel.examples.focus.SessionLimitException;
import dev.snapreel.index.IndexException;
import dev.snapreel.index.InvalidCursorException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps failures to JSON errors {@code {"status", "error", "message"[, "field"]}} with the status
 * the issue asks for: 400/422 bad parameters, 401 bad token, 404 unknown or not yours, 409
 * conflicts, 413 too large, 429 over a per-user limit, 503 over capacity.
 *
 * <p>Server failures (5xx) never show internals: the exception, with any server path, bucket name
 * or endpoint it carries, is logged under a fresh {@code request_id}; the client gets a plain
 * message and that id (also in the {@code X-Request-Id} header) to quote when asking for help.
 */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** Installs the exception mapping on a Javalin configuration. */
  public static void install(JavalinConfig config) {
    config.routes.exception(HttpResponseException.class, (e, ctx) -> {
      String field = e.getDetails().get("field");
      send(ctx, e.getStatus(), e.getMessage(), field);
    });
    config.routes.exception(
        InvalidOptionException.class, (e, ctx) -> send(ctx, 422, e.getMessage(), e.field()));
    config.routes.exception(
        InvalidFrameException.class, (e, ctx) -> send(ctx, 422, e.getMessage(), null));
    config.routes.exception(
        QuotaExceededException.class, (e, ctx) -> send(ctx, 507, e.getMessage(), null));
    config.routes.exception(
        InvalidCursorException.class, (e, ctx) -> send(ctx, 422, e.getMessage(), "cursor"));
    // The index (a database) is down: recording goes on, queries are answered later.
    config.routes.exception(IndexException.class, (e, ctx) -> {
      log.warn("index failure on {} {}: {}", ctx.method(), ctx.path(), e.toString());
      ctx.header("Retry-After", "5");
      send(ctx, 503, "the recording index is unavailable; retry shortly", null);
    });
    config.routes.exception(
        RecordingNotFoundException.class, (e, ctx) -> send(ctx, 404, e.getMessage(), null));
    config.routes.exception(
        RecordingConflictException.class, (e, ctx) -> send(ctx, 409, e.getMessage(), null));
    config.routes.exception(UserLimitExceededException.class, (e, ctx) -> {
      ctx.header("Retry-After", "30");
      send(ctx, 429, "you already have as many active recordings as allowed: stop one first", null);
    });
    config.routes.exception(CapacityExceededException.class, (e, ctx) -> {
      ctx.header("Retry-After", "30");
      send(ctx, 503, e.getMessage(), null);
    });
    config.routes.exception(SessionLimitException.class, (e, ctx) -> {
      ctx.header("Retry-After", "30");
      send(ctx, 429, e.getMessage(), null);
    });
    config.routes.exception(
        EncoderException.class, (e, ctx) -> serverError(ctx, "the video encoder failed", e));
    config.routes.exception(
        StorageException.class, (e, ctx) -> serverError(ctx, "the recording storage failed", e));
    config.routes.exception(
        SnapreelException.class, (e, ctx) -> serverError(ctx, "recording failed", e));
    config.routes.exception(
        Exception.class, (e, ctx) -> serverError(ctx, "internal server error", e));
    // Errors Javalin raises itself (no such route, body too large...) without an exception handler.
    for (int status : new int[] {404, 405, 413}) {
      config.routes.error(status, ctx -> {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("application/json")) {
          send(
              ctx,
              status,
              status == 404
                  ? "not found: " + ctx.path()
                  : HttpStatus.forStatus(status).getMessage(),
              null);
        }
      });
    }
  }

  /** A 500 with a plain message and a request id; the details go to the log under that id only. */
  static void serverError(Context ctx, String plainMessage, Exception e) {
    String requestId = newRequestId();
    log.warn("request {} failed: {} {}: {}", requestId, ctx.method(), ctx.path(), plainMessage, e);
    ctx.header("X-Request-Id", requestId);
    Map<String, Object> body = body(500, plainMessage + " (request id " + requestId + ")", null);
    body.put("request_id", requestId);
    Json.send(ctx, 500, body);
  }

  /** A short random id that ties a client's error to the server's log line. */
  static String newRequestId() {
    return UUID.randomUUID().toString().substring(0, 13).replace("-", "");
  }

  static void send(Context ctx, int status, @Nullable String message, @Nullable String field) {
    Json.send(
        ctx,
        status,
        body(status, message == null ? HttpStatus.forStatus(status).getMessage() : message, field));
  }

  static Map<String, Object> body(int status, String message, @Nullable String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", HttpStatus.forStatus(status).getMessage());
    body.put("message", message);
    if (field != null) {
      body.put("field", field);
    }
    return body;
  }
}
