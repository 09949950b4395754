package dev.snapreel.examples;

import static java.util.Objects.requireNonNull;

import dev.snapreel.InvalidOptionException;
import dev.snapreel.RecordingService;
import dev.snapreel.examples.api.ExampleApi;
import dev.snapreel.examples.api.FocusApi;
import dev.snapreel.examples.auth.TokenService;
import dev.snapreel.examples.focus.FaceDetector;
import dev.snapreel.examples.focus.FocusSessions;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.azure.AzureBlobStorage;
import dev.snapreel.storage.s3.S3Storage;
import dev.snapreel.upload.UploadingStorage;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.staticfiles.Location;
import java.io.Closeable;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The example host: the specification's REST + WebSocket API, JWT auth, focus detection and the
 * camera page at {@code /}, recording with the FFmpeg H.264 sink into local storage.
 *
 * <p>Run with {@code mvn -q -pl examples -am -DskipTests package exec:java}; configure with the environment variables of {@link ServerSettings}. Tests start it
 * with {@link #start(ServerSettings)} on port 0.
 */
public final class ExampleServer implements Closeable {
  /** JSON bodies of this API are small; anything bigger is refused with 413. */
  static final long MAX_REQUEST_BYTES = 64 * 1024;

  private final Javalin app;
  private final RecordingService recordings;
  private final FaceDetector detector;
  private final TokenService tokens;
  private final ServerSettings settings;
  private final String storageProvider;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ExampleServer(
      Javalin app,
      RecordingService recordings,
      FaceDetector detector,
      TokenService tokens,
      ServerSettings settings,
      String storageProvider) {
    this.app = app;
    this.storageProvider = storageProvider;
    this.recordings = recordings;
    this.detector = detector;
    this.tokens = tokens;
    this.settings = settings;
  }

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    ServerSettings settings = ServerSettings.fromEnvironment(env);
    ExampleServer server = start(settings, createStorage(env, settings));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "snapreel-shutdown"));
    server.printBanner(System.out);
  }

  /**
   * The storage the server records into: local disk under {@code RECORDINGS_PATH}; with {@code
   * ENABLE_CLOUD_STORAGE=true}, that local disk first and then the cloud store named by {@code
   * CLOUD_STORAGE_PROVIDER} through the upload pipeline: {@code s3} (the default: {@code
   * S3_BUCKET_NAME}, {@code S3_REGION}, {@code S3_ENDPOINT}, {@code S3_PREFIX}) or {@code azure}
   * ({@code AZURE_STORAGE_CONNECTION_STRING}, {@code AZURE_STORAGE_CONTAINER}, {@code
   * AZURE_STORAGE_PREFIX}). {@code CLOUD_STORAGE_REMOVE_LOCAL_COPY=true} (or the older {@code
   * S3_REMOVE_LOCAL_COPY}) deletes local copies once their upload is confirmed.
   */
  public static StorageBackend createStorage(Map<String, String> env, ServerSettings settings) {
    requireNonNull(env, "env");
    if (!Boolean.parseBoolean(env.getOrDefault("ENABLE_CLOUD_STORAGE", "false").trim())) {
      return LocalStorage.create(settings.recording().recordingsPath());
    }
    String provider = env.getOrDefault("CLOUD_STORAGE_PROVIDER", "s3").trim().toLowerCase(java.util.Locale.ROOT);
    StorageBackend remote =
        switch (provider) {
          case "s3", "" -> S3Storage.fromEnvironment(env);
          case "azure" -> AzureBlobStorage.fromEnvironment(env);
          default -> throw new InvalidOptionException(
              "CLOUD_STORAGE_PROVIDER", "'" + provider + "' is not one of s3, azure");
        };
    String removeLocal =
        env.getOrDefault("CLOUD_STORAGE_REMOVE_LOCAL_COPY", env.getOrDefault("S3_REMOVE_LOCAL_COPY", "false"));
    return UploadingStorage.builder()
        .local(LocalStorage.create(settings.recording().recordingsPath()))
        .remote(remote)
        .removeLocalAfterUpload(Boolean.parseBoolean(removeLocal.trim()))
        .build();
  }

  /** Starts a server recording to local storage under the settings' recordings path. */
  public static ExampleServer start(ServerSettings settings) {
    return start(settings, LocalStorage.create(settings.recording().recordingsPath()));
  }

  /** Starts a server recording into {@code storage}; in-progress files stay under the recordings path. */
  public static ExampleServer start(ServerSettings settings, StorageBackend storage) {
    requireNonNull(settings, "settings");
    requireNonNull(storage, "storage");
    String secret = settings.jwtSecret() != null ? settings.jwtSecret() : TokenService.randomSecret();
    TokenService tokens = TokenService.create(secret);
    RecordingService recordings =
        RecordingService.builder()
            .sink(FfmpegSinks.h264())
            .storage(storage)
            .workDirectory(settings.recording().recordingsPath().resolve(".inprogress"))
            .config(settings.recording())
            .maxActiveRecordings(settings.maxActiveRecordings())
            .maxSnapshotBytes(settings.maxFrameBytes())
            .build();
    FaceDetector detector;
    try {
      detector = FaceDetector.create();
    } catch (RuntimeException e) {
      recordings.close();
      throw e;
    }
    FocusSessions sessions = FocusSessions.create();
    Javalin app;
    try {
      app =
          Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jetty.host = settings.host();
                config.jetty.port = settings.port();
                config.http.maxRequestSize = MAX_REQUEST_BYTES;
                // Videos do not compress, and compression would break Content-Length on ranges.
                config.http.compressionStrategy = CompressionStrategy.NONE;
                config.staticFiles.add("/public", Location.CLASSPATH);
                ExampleApi.install(
                    config, tokens, sessions, recordings, detector, settings.maxFrameBytes(), settings.demoTokens());
              })
              .start();
    } catch (RuntimeException e) {
      detector.close();
      recordings.close();
      throw e;
    }
    return new ExampleServer(app, recordings, detector, tokens, settings, storage.provider());
  }

  /** The port actually bound (useful after starting on port 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://localhost:PORT}. */
  public URI baseUri() {
    return URI.create("http://localhost:" + port());
  }

  /** Signs and verifies this server's tokens; tests use it to mint tokens for chosen users. */
  public TokenService tokens() {
    return tokens;
  }

  public RecordingService recordings() {
    return recordings;
  }

  public ServerSettings settings() {
    return settings;
  }

  /** Tells a newcomer where the server listens, where recordings go and how to get a token. */
  public void printBanner(PrintStream out) {
    Path recordingsPath = settings.recording().recordingsPath().toAbsolutePath().normalize();
    out.println();
    out.println("snapreel example server");
    out.println("  listening on   http://localhost:" + port() + "/   (bound to " + settings.host() + ")");
    out.println("  camera page    http://localhost:" + port() + "/");
    out.println("  recordings in  " + recordingsPath + " (" + storageProvider + ")");
    out.println("  defaults       " + recordings.defaults().fps() + " fps, " + recordings.defaults().resolution()
        + ", " + recordings.defaults().codec());
    if (settings.demoTokens()) {
      out.println("  auth           DEMO MODE: no JWT_SECRET set, a random secret was generated for this run.");
      out.println("                 Dev-only token endpoint (off when JWT_SECRET is set):");
      out.println("                   curl 'http://localhost:" + port() + "/api/dev/token?user_id=demo'");
      out.println("                 Token for user 'demo' (valid " + FocusApi.DEMO_TOKEN_TTL.toHours() + " h):");
      out.println("                   " + tokens.issueAccess("demo", FocusApi.DEMO_TOKEN_TTL));
    } else {
      out.println("  auth           HS256 JWTs signed with JWT_SECRET; the user id is the 'sub' claim; 'exp' is required.");
    }
    out.println();
  }

  /** Stops accepting requests, then finishes and stores active recordings. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      app.stop();
    } finally {
      try {
        recordings.close();
      } finally {
        detector.close();
      }
    }
  }
}
