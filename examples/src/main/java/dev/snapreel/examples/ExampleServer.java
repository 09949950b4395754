package dev.snapreel.examples;

import static java.util.Objects.requireNonNull;

import dev.snapreel.InvalidOptionException;
import dev.snapreel.RecordingService;
import dev.snapreel.examples.api.ExampleApi;
import dev.snapreel.examples.api.FocusApi;
import dev.snapreel.examples.api.RequestBodyLimit;
import dev.snapreel.examples.auth.TokenService;
import dev.snapreel.examples.focus.FaceDetector;
import dev.snapreel.examples.focus.FocusSessions;
import dev.snapreel.examples.focus.JdbcSessionStore;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.index.jdbc.JdbcRecordingIndex;
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
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

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
  private final Closeable api;
  private final TokenService tokens;
  private final ServerSettings settings;
  private final String storageProvider;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ExampleServer(
      Javalin app,
      RecordingService recordings,
      FaceDetector detector,
      Closeable api,
      TokenService tokens,
      ServerSettings settings,
      String storageProvider) {
    this.app = app;
    this.storageProvider = storageProvider;
    this.recordings = recordings;
    this.detector = detector;
    this.api = api;
    this.tokens = tokens;
    this.settings = settings;
  }

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    ServerSettings settings = ServerSettings.fromEnvironment(env);
    ExampleServer server = start(settings, createStorage(env, settings), databaseUrl(env));
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
    String provider =
        env.getOrDefault("CLOUD_STORAGE_PROVIDER", "s3").trim().toLowerCase(java.util.Locale.ROOT);
    StorageBackend remote =
        switch (provider) {
          case "s3", "" -> S3Storage.fromEnvironment(env);
          case "azure" -> AzureBlobStorage.fromEnvironment(env);
          default ->
            throw new InvalidOptionException(
                "CLOUD_STORAGE_PROVIDER", "'" + provider + "' is not one of s3, azure");
        };
    String removeLocal = env.getOrDefault(
        "CLOUD_STORAGE_REMOVE_LOCAL_COPY", env.getOrDefault("S3_REMOVE_LOCAL_COPY", "false"));
    return UploadingStorage.builder()
        .local(LocalStorage.create(settings.recording().recordingsPath()))
        .remote(remote)
        .removeLocalAfterUpload(Boolean.parseBoolean(removeLocal.trim()))
        .build();
  }

  /**
   * {@code DATABASE_URL}: the JDBC URL of the recording index and focus sessions ({@code
   * jdbc:postgresql://host:5432/db?user=...&password=...}, or {@code jdbc:h2:...}); null when unset,
   * for the embedded H2 file under the recordings path.
   */
  public static @Nullable String databaseUrl(Map<String, String> env) {
    String url = env.get("DATABASE_URL");
    if (url == null || url.isBlank()) {
      return null;
    }
    url = url.trim();
    if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      throw new InvalidOptionException(
          "DATABASE_URL", "must be a jdbc:postgresql: or jdbc:h2: URL");
    }
    return url;
  }

  /** The embedded index file: {@code .index/snapreel} under the recordings path (H2 adds {@code .mv.db}). */
  public static Path embeddedIndexFile(ServerSettings settings) {
    return settings.recording().recordingsPath().resolve(".index").resolve("snapreel");
  }

  /** Starts a server recording to local storage under the settings' recordings path. */
  public static ExampleServer start(ServerSettings settings) {
    return start(settings, LocalStorage.create(settings.recording().recordingsPath()));
  }

  /**
   * Starts a server recording into {@code storage} with the embedded index; in-progress files stay
   * under the recordings path.
   */
  public static ExampleServer start(ServerSettings settings, StorageBackend storage) {
    return start(settings, storage, null);
  }

  /**
   * Starts a server recording into {@code storage}, indexing recordings and keeping focus sessions in
   * the database at {@code databaseUrl} (null: the embedded H2 file under the recordings path).
   */
  public static ExampleServer start(
      ServerSettings settings, StorageBackend storage, @Nullable String databaseUrl) {
    requireNonNull(settings, "settings");
    requireNonNull(storage, "storage");
    JdbcRecordingIndex index = databaseUrl != null
        ? JdbcRecordingIndex.builder().url(databaseUrl).build()
        : JdbcRecordingIndex.embedded(embeddedIndexFile(settings));
    JdbcSessionStore sessionStore;
    try {
      sessionStore = JdbcSessionStore.create(index.dataSource());
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    String secret =
        settings.jwtSecret() != null ? settings.jwtSecret() : TokenService.randomSecret();
    TokenService tokens = TokenService.create(secret);
    RecordingService recordings;
    try {
      recordings = RecordingService.builder()
          .sink(FfmpegSinks.h264())
          .storage(storage)
          .workDirectory(settings.recording().recordingsPath().resolve(".inprogress"))
          .config(settings.recording())
          // RecordingConfig.fromEnvironment already refused a short retention unless it was
          // allowed.
          .allowShortRetention(
              settings.recording().retention().compareTo(RecordingService.MIN_RETENTION) < 0)
          .maxActiveRecordings(settings.maxActiveRecordings())
          .maxSnapshotBytes(settings.maxFrameBytes())
          .maxSnapshotPixels(settings.limits().maxFramePixels())
          .maxUserActiveRecordings(settings.limits().maxUserActiveRecordings())
          .maxRecordingDuration(settings.limits().maxRecordingDuration())
          .idleStop(settings.limits().idleStop())
          .index(index)
          .maxOwnerBytes(settings.maxUserStorageBytes())
          .build();
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    FaceDetector detector;
    try {
      detector = FaceDetector.create(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          settings.limits().maxFramePixels());
    } catch (RuntimeException e) {
      recordings.close();
      throw e;
    }
    FocusSessions sessions = FocusSessions.create(
        tokens.clock(),
        sessionStore,
        settings.limits().maxOpenSessionsPerUser(),
        settings.limits().endedSessionRetention());
    AtomicReference<Closeable> api = new AtomicReference<>();
    Javalin app;
    try {
      app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            RequestBodyLimit.install(config, MAX_REQUEST_BYTES);
            // Videos do not compress, and compression would break Content-Length on ranges.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.staticFiles.add("/public", Location.CLASSPATH);
            api.set(ExampleApi.install(
                config,
                tokens,
                sessions,
                recordings,
                detector,
                settings.maxFrameBytes(),
                settings.demoTokens(),
                settings.limits()));
          })
          .start();
    } catch (RuntimeException e) {
      closeQuietly(api.get());
      detector.close();
      recordings.close();
      throw e;
    }
    return new ExampleServer(
        app,
        recordings,
        detector,
        requireNonNull(api.get(), "api"),
        tokens,
        settings,
        storage.provider());
  }

  private static void closeQuietly(@Nullable Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (java.io.IOException | RuntimeException e) {
        // already failing: the original exception is the one to report
      }
    }
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
    out.println(
        "  listening on   http://localhost:" + port() + "/   (bound to " + settings.host() + ")");
    out.println("  camera page    http://localhost:" + port() + "/");
    out.println("  recordings in  " + recordingsPath + " (" + storageProvider + ")");
    out.println("  defaults       " + recordings.defaults().fps() + " fps, "
        + recordings.defaults().resolution() + ", " + recordings.defaults().codec());
    if (settings.demoTokens()) {
      out.println(
          "  auth           DEMO MODE: no JWT_SECRET set, a random secret was generated for this run.");
      out.println("                 Listening on loopback (" + settings.host()
          + ") only: anyone who can reach");
      out.println(
          "                 this server can mint tokens. Set JWT_SECRET to listen on the network.");
      out.println("                 Dev-only token endpoint (off when JWT_SECRET is set):");
      out.println(
          "                   curl 'http://localhost:" + port() + "/api/dev/token?user_id=demo'");
      out.println("                 Token for user 'demo' (valid "
          + FocusApi.DEMO_TOKEN_TTL.toHours() + " h):");
      out.println("                   " + tokens.issueAccess("demo", FocusApi.DEMO_TOKEN_TTL));
    } else {
      out.println(
          "  auth           HS256 JWTs signed with JWT_SECRET; the user id is the 'sub' claim; 'exp' is required.");
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
        try {
          closeQuietly(api); // waits for frames being analysed before the detector goes
        } finally {
          detector.close();
        }
      }
    }
  }
}
