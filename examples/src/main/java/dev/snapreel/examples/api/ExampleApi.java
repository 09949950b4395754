package dev.snapreel.examples.api;

import dev.snapreel.RecordingService;
import dev.snapreel.examples.auth.TokenService;
import dev.snapreel.examples.focus.FaceDetector;
import dev.snapreel.examples.focus.FocusSessions;
import io.javalin.config.JavalinConfig;
import java.io.Closeable;

/** Installs every endpoint of the example host on a Javalin configuration. */
public final class ExampleApi {
  private ExampleApi() {}

  /**
   * Installs the REST and WebSocket endpoints.
   *
   * @param maxFrameBytes largest accepted snapshot on the WebSocket
   * @param demoTokens whether to expose the dev-only {@code GET /api/dev/token}
   * @param limits what one user or connection may take
   * @return what to close when the server stops (the WebSocket's detection pool and timers)
   */
  public static Closeable install(
      JavalinConfig config,
      TokenService tokens,
      FocusSessions sessions,
      RecordingService recordings,
      FaceDetector detector,
      long maxFrameBytes,
      boolean demoTokens,
      HostLimits limits) {
    Authenticator auth = new Authenticator(tokens);
    ApiErrors.install(config);
    new FocusApi(auth, sessions, recordings).install(config, demoTokens);
    new RecordingApi(auth, sessions, recordings).install(config);
    FocusSocket socket =
        new FocusSocket(auth, sessions, recordings, detector, maxFrameBytes, limits);
    socket.install(config);
    long maxText = FocusSocket.maxTextMessage(maxFrameBytes);
    config.jetty.modifyWebSocketServletFactory(factory -> {
      factory.setMaxBinaryMessageSize(maxFrameBytes);
      factory.setMaxTextMessageSize(maxText);
      factory.setIdleTimeout(java.time.Duration.ofMinutes(2));
    });
    return socket;
  }
}
