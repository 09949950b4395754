package dev.snapreel.examples.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.ActiveRecording;
import dev.snapreel.InvalidFrameException;
import dev.snapreel.RecordingConflictException;
import dev.snapreel.RecordingService;
import dev.snapreel.RecordingStats;
import dev.snapreel.examples.auth.TokenService;
import dev.snapreel.examples.focus.Detection;
import dev.snapreel.examples.focus.FaceBox;
import dev.snapreel.examples.focus.FaceDetector;
import dev.snapreel.examples.focus.FocusScore;
import dev.snapreel.examples.focus.FocusSession;
import dev.snapreel.examples.focus.FocusSessions;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/focus/ws/{session_id}?token=...&enable_recording=true}: the browser sends camera
 * snapshots, as binary JPEG messages or as text JSON {@code {"type":"frame","image":"data:image/jpeg;base64,..."}}
 * (what {@code canvas.toDataURL} gives; a bare data URL works too); {@code {"type":"ping"}} gets
 * {@code {"type":"pong"}}. Each frame is queued on the session's active recording (which never waits
 * for encoding), analysed for faces, and answered with the detection, the focus score and the
 * recording's state and counters.
 *
 * <p>Closing the socket leaves the recording running; reconnecting to the same session continues
 * it. Messages over the size limit close only their own connection (1009).
 *
 * <p>Nobody takes the host from the others: a user may hold {@link HostLimits#maxSocketsPerUser()}
 * connections (the next upgrade gets {@code 429}); a connection may send {@link
 * HostLimits#maxFramesPerSecond()} frames per second (a token bucket with a one-second burst; the
 * excess gets {@code {"type":"error","status":429,"error":"rate_limited"}} and is neither recorded
 * nor decoded); detection runs on a bounded pool of its own, and a frame waits at most {@link
 * HostLimits#detectionTimeout()} for it ({@code 503 detection_busy} when the pool is saturated,
 * {@code 504 detection_timeout} when it is too slow), so a server thread never waits without limit.
 * The connection closes with {@code 1008} when its access token's {@code exp} passes.
 */
public final class FocusSocket implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(FocusSocket.class);
  static final String PATH = "/api/focus/ws/{session_id}";
  private static final String ACCESS = "snapreel.access";

  private final Authenticator auth;
  private final FocusSessions sessions;
  private final RecordingService recordings;
  private final FaceDetector detector;
  private final long maxFrameBytes;
  private final HostLimits limits;
  private final Clock clock;
  private final ThreadPoolExecutor detections;
  private final ScheduledExecutorService expiry;
  /** Open connections per user. */
  private final Map<String, AtomicInteger> socketsPerUser = new ConcurrentHashMap<>();
  /** Per-connection state, by Javalin's connection id. */
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  /** One open connection: its user, token expiry, rate bucket and the task closing it at expiry. */
  private static final class Connection {
    final String user;
    final Instant expiresAt;
    final double rate;
    double tokens;
    long refilledAt;

    @Nullable
    ScheduledFuture<?> closer;

    Connection(String user, Instant expiresAt, double rate, long now) {
      this.user = user;
      this.expiresAt = expiresAt;
      this.rate = rate;
      this.tokens = Math.max(1, rate); // a one-second burst
      this.refilledAt = now;
    }

    /** Takes one frame's token; false when the connection is over its rate. */
    synchronized boolean tryAcquire(long now) {
      tokens = Math.min(Math.max(1, rate), tokens + (now - refilledAt) / 1e9 * rate);
      refilledAt = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  FocusSocket(
      Authenticator auth,
      FocusSessions sessions,
      RecordingService recordings,
      FaceDetector detector,
      long maxFrameBytes,
      HostLimits limits) {
    this.auth = requireNonNull(auth);
    this.sessions = requireNonNull(sessions);
    this.recordings = requireNonNull(recordings);
    this.detector = requireNonNull(detector);
    this.maxFrameBytes = maxFrameBytes;
    this.limits = requireNonNull(limits);
    this.clock = auth.tokens().clock();
    int threads = detector.parallelism();
    AtomicInteger n = new AtomicInteger();
    this.detections = new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(threads * 4),
        r -> daemon(r, "snapreel-detect-" + n.incrementAndGet()),
        new ThreadPoolExecutor.AbortPolicy());
    this.expiry =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "snapreel-token-expiry"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Largest text message: a base64 data URL of a frame at the byte limit, plus JSON around it. */
  static long maxTextMessage(long maxFrameBytes) {
    return (maxFrameBytes + 2) / 3 * 4 + 4096;
  }

  void install(JavalinConfig config) {
    // Authenticate before the upgrade, so a bad token or someone else's session gets a plain HTTP
    // 401/404 and no socket at all.
    config.routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
    config.routes.ws(PATH, ws -> {
      ws.onConnect(this::onConnect);
      ws.onClose(ctx -> onClose(ctx.sessionId()));
      ws.onBinaryMessage(ctx -> {
        ByteBuffer data = ctx.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        onFrame(ctx, bytes);
      });
      ws.onMessage(ctx -> onText(ctx, ctx.message()));
      ws.onError(ctx -> log.debug(
          "websocket error on session {}: {}",
          ctx.pathParam("session_id"),
          String.valueOf(ctx.error())));
    });
  }

  private void beforeUpgrade(Context ctx) {
    TokenService.Access access = auth.webSocketUser(ctx);
    String user = access.userId();
    String sessionId = ctx.pathParam("session_id");
    FocusSession s =
        sessions.find(user, sessionId).orElseThrow(() -> RecordingApi.sessionNotFound(sessionId));
    if (!s.isActive()) {
      throw new HttpResponseException(409, "session " + sessionId + " has ended", Map.of());
    }
    AtomicInteger open = socketsPerUser.get(user);
    if (open != null && open.get() >= limits.maxSocketsPerUser()) {
      ctx.header("Retry-After", "5");
      throw tooManySockets(open.get());
    }
    ctx.attribute(ACCESS, access);
  }

  private HttpResponseException tooManySockets(int open) {
    return new HttpResponseException(
        429,
        "you already have " + open + " open connections (the limit is " + limits.maxSocketsPerUser()
            + "): close one first",
        Map.of());
  }

  private void onConnect(WsConnectContext ctx) {
    TokenService.Access access =
        requireNonNull(ctx.<TokenService.Access>attribute(ACCESS), "access");
    // The check before the upgrade answers 429; this one holds the limit against racing upgrades.
    AtomicInteger open = socketsPerUser.computeIfAbsent(access.userId(), u -> new AtomicInteger());
    Connection c = new Connection(
        access.userId(), access.expiresAt(), limits.maxFramesPerSecond(), System.nanoTime());
    connections.put(ctx.sessionId(), c);
    if (open.incrementAndGet() > limits.maxSocketsPerUser()) {
      ctx.closeSession(1008, "too many open connections for this user");
      return;
    }
    long untilExpiry = Duration.between(clock.instant(), access.expiresAt()).toMillis();
    if (untilExpiry <= 0) {
      ctx.closeSession(1008, "access token expired");
      return;
    }
    c.closer = expiry.schedule(
        () -> ctx.closeSession(1008, "access token expired"), untilExpiry, TimeUnit.MILLISECONDS);
    ctx.enableAutomaticPings(20, TimeUnit.SECONDS);
  }

  private void onClose(String connectionId) {
    Connection c = connections.remove(connectionId);
    if (c == null) {
      return;
    }
    ScheduledFuture<?> closer = c.closer;
    if (closer != null) {
      closer.cancel(false);
    }
    socketsPerUser.computeIfPresent(c.user, (u, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** The connection's state, or null (after closing it) when it must not handle another message. */
  private @Nullable Connection admit(WsContext ctx) {
    Connection c = connections.get(ctx.sessionId());
    if (c == null) {
      ctx.closeSession(1011, "connection state lost");
      return null;
    }
    if (!clock.instant().isBefore(c.expiresAt)) {
      ctx.closeSession(1008, "access token expired");
      return null;
    }
    return c;
  }

  private void onText(WsContext ctx, String message) {
    if (admit(ctx) == null) {
      return;
    }
    String text = message.trim();
    if (text.startsWith("data:")) {
      onDataUrl(ctx, text);
      return;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      sendError(ctx, 400, "bad_message", "text messages must be JSON or a data URL");
      return;
    }
    String type = node.path("type").asText("frame");
    if ("ping".equals(type)) {
      Map<String, Object> pong = new LinkedHashMap<>();
      pong.put("type", "pong");
      pong.put("timestamp", Instant.now().toString());
      ctx.send(Json.text(pong));
      return;
    }
    JsonNode image = firstPresent(node, "image", "frame", "data");
    if (!"frame".equals(type) || image == null || !image.isTextual()) {
      sendError(
          ctx,
          400,
          "bad_message",
          "expected {\"type\":\"frame\",\"image\":\"data:image/jpeg;base64,...\"} or {\"type\":\"ping\"}");
      return;
    }
    onDataUrl(ctx, image.asText());
  }

  private static @Nullable JsonNode firstPresent(JsonNode node, String... fields) {
    for (String f : fields) {
      JsonNode n = node.get(f);
      if (n != null && !n.isNull()) {
        return n;
      }
    }
    return null;
  }

  private void onDataUrl(WsContext ctx, String dataUrl) {
    int comma = dataUrl.indexOf(',');
    String payload =
        dataUrl.startsWith("data:") && comma > 0 ? dataUrl.substring(comma + 1) : dataUrl;
    if (dataUrl.startsWith("data:")
        && !dataUrl.substring(0, Math.max(comma, 0)).endsWith(";base64")) {
      sendError(ctx, 422, "invalid_frame", "data URLs must be base64-encoded images");
      return;
    }
    if ((long) payload.length() / 4 * 3 > maxFrameBytes + 3) {
      sendError(ctx, 413, "frame_too_large", "frame exceeds " + maxFrameBytes + " bytes");
      return;
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      sendError(ctx, 422, "invalid_frame", "the image is not valid base64");
      return;
    }
    onFrame(ctx, bytes);
  }

  private void onFrame(WsContext ctx, byte[] bytes) {
    long started = System.nanoTime();
    Connection connection = admit(ctx);
    if (connection == null) {
      return;
    }
    String user = connection.user;
    String sessionId = ctx.pathParam("session_id");
    Optional<FocusSession> found = sessions.find(user, sessionId);
    if (found.isEmpty() || !found.get().isActive()) {
      Map<String, Object> ended = new LinkedHashMap<>();
      ended.put("type", "session_ended");
      ended.put("session_id", sessionId);
      ctx.send(Json.text(ended));
      ctx.closeSession(1000, "session ended");
      return;
    }
    FocusSession session = found.get();
    boolean enabled = "true".equalsIgnoreCase(ctx.queryParam("enable_recording"));
    Optional<ActiveRecording> recording = enabled
        ? recordings.active(user, sessionId).filter(ActiveRecording::isActive)
        : Optional.empty();
    if (bytes.length > maxFrameBytes) {
      sendError(
          ctx,
          413,
          "frame_too_large",
          "frame of " + bytes.length + " bytes exceeds " + maxFrameBytes,
          recording);
      return;
    }
    if (!connection.tryAcquire(started)) {
      sendError(
          ctx,
          429,
          "rate_limited",
          "more than " + limits.maxFramesPerSecond()
              + " frames per second: this frame was neither analysed nor recorded",
          recording);
      return;
    }
    String recordingError = null;
    if (recording.isPresent()) {
      try {
        recording.get().writeEncoded(bytes); // queued: returns without waiting for the encoder
      } catch (InvalidFrameException e) {
        recordingError = e.getMessage();
      } catch (RecordingConflictException e) {
        recording = Optional.empty(); // stopped between the lookup and the write
      }
    }
    Detection detection;
    Future<Detection> task;
    try {
      task = detections.submit(() -> detector.detect(bytes));
    } catch (RejectedExecutionException e) {
      sendError(
          ctx,
          503,
          "detection_busy",
          "the detector is saturated: this frame was not analysed",
          recording);
      return;
    }
    try {
      detection = task.get(limits.detectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      task.cancel(false); // not started yet: drop it; running: it ends on its own, nobody waits
      sendError(
          ctx,
          504,
          "detection_timeout",
          "detection took longer than " + limits.detectionTimeout().toMillis()
              + " ms: this frame was not analysed",
          recording);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      task.cancel(false);
      return;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvalidFrameException invalid) {
        sendError(ctx, 422, "invalid_frame", String.valueOf(invalid.getMessage()), recording);
        return;
      }
      log.warn("detection failed on session {}", sessionId, e.getCause());
      sendError(ctx, 500, "detection_failed", "detection failed on this frame", recording);
      return;
    }
    double score = session.record(detection, System.nanoTime());
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("type", "detection");
    reply.put("session_id", sessionId);
    reply.put("frame_number", session.framesAnalysed());
    reply.put("timestamp", Instant.now().toString());
    reply.put("faces_detected", detection.facesDetected());
    reply.put("face", face(detection.mainFace()));
    reply.put("present", detection.present());
    reply.put("centered", detection.centred());
    reply.put("attention", FocusScore.attention(detection));
    reply.put("focus_score", FocusApi.round(score));
    reply.put("recording", recordingState(enabled, recording, recordingError));
    reply.put("processing_ms", FocusApi.round((System.nanoTime() - started) / 1e6));
    ctx.send(Json.text(reply));
  }

  private static @Nullable Map<String, Object> face(@Nullable FaceBox box) {
    if (box == null) {
      return null;
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("x", box.x());
    f.put("y", box.y());
    f.put("width", box.width());
    f.put("height", box.height());
    return f;
  }

  private static Map<String, Object> recordingState(
      boolean enabled, Optional<ActiveRecording> recording, @Nullable String error) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("enabled", enabled);
    r.put("active", recording.isPresent() && recording.get().isActive());
    if (recording.isPresent()) {
      RecordingStats s = recording.get().stats();
      r.put("recording_id", recording.get().recordingId());
      r.put("frames_received", s.framesReceived());
      r.put("frames_written", s.framesWritten());
      r.put("frames_duplicated", s.framesDuplicated());
      r.put("frames_dropped", s.framesDropped());
      r.put("frames_rejected", s.framesRejected());
      r.put("queued", s.queued());
    }
    if (error != null) {
      r.put("error", error);
    }
    return r;
  }

  /** An error about a message that never reached frame handling (bad JSON, bad base64...). */
  private static void sendError(WsContext ctx, int status, String error, String message) {
    ctx.send(Json.text(errorBody(status, error, message)));
  }

  /** An error about a frame, with the recording's state so the page keeps its counters current. */
  private static void sendError(
      WsContext ctx,
      int status,
      String error,
      String message,
      Optional<ActiveRecording> recording) {
    Map<String, Object> body = errorBody(status, error, message);
    boolean enabled = "true".equalsIgnoreCase(ctx.queryParam("enable_recording"));
    body.put("recording", recordingState(enabled, recording, null));
    ctx.send(Json.text(body));
  }

  /** Stops detection and the expiry timer; open connections are closed by the server itself. */
  @Override
  public void close() {
    expiry.shutdownNow();
    detections.shutdown();
    try {
      if (!detections.awaitTermination(
          limits.detectionTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        detections.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      detections.shutdownNow();
    }
  }

  private static Map<String, Object> errorBody(int status, String error, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "error");
    body.put("status", status);
    body.put("error", error);
    body.put("message", message);
    return body;
  }
}
