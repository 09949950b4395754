package dev.snapreel.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The example host ({@code dev.snapreel.examples.ExampleServer}) in a child JVM started from this
 * JVM's own java binary and classpath, so its CPU and memory are measured apart from the load
 * generator's, plus the few REST calls the harness makes. Demo mode (no {@code JWT_SECRET}) so
 * {@code /api/dev/token} hands out tokens; {@code PORT=0} and the bound port is read from the
 * startup banner, which the server prints once it accepts connections.
 */
final class ExampleHost implements Closeable {
  static final String MAIN_CLASS = "dev.snapreel.examples.ExampleServer";
  private static final Pattern LISTENING = Pattern.compile("listening on\\s+http://[^:/]+:(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http;
  private final Thread killer;

  private ExampleHost(Process process, Path log, int port, Thread killer) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.killer = killer;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Starts the host with recordings under {@code recordings}, its output in {@code log}, and waits
   * until it listens (at most {@code startTimeout}).
   *
   * @param jvmOptions for the child, e.g. a fixed, pre-touched heap so RSS growth is native memory
   */
  static ExampleHost start(
      Path recordings,
      Path log,
      int maxActiveRecordings,
      List<String> jvmOptions,
      Duration startTimeout)
      throws IOException, InterruptedException {
    Files.createDirectories(recordings);
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(absoluteClasspath(System.getProperty("java.class.path")));
    cmd.add(MAIN_CLASS);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("JWT_SECRET"); // demo mode: the dev token endpoint is on
    env.remove("ENABLE_CLOUD_STORAGE");
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("RECORDINGS_PATH", recordings.toAbsolutePath().toString());
    env.put("MAX_ACTIVE_RECORDINGS", Integer.toString(maxActiveRecordings));
    Process process = pb.start();
    // Never leave a server behind, even when the harness is interrupted.
    Thread killer = new Thread(process::destroyForcibly, "example-host-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(process, log, port), "example-host-output");
    pump.setDaemon(true);
    pump.start();
    try {
      int bound = port.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ExampleHost(process, log, bound, killer);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      Runtime.getRuntime().removeShutdownHook(killer);
      throw new IllegalStateException(
          "the example host did not start (" + e + "); its output:\n" + tail(log), e);
    }
  }

  /** Copies the child's output to {@code log}; completes {@code port} from the banner, or fails it at exit. */
  private static void pump(Process process, Path log, CompletableFuture<Integer> port) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintStream out =
            new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        int bound = portFromBanner(line);
        if (bound > 0) {
          port.complete(bound);
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(
        new IllegalStateException("the example host exited before listening"));
  }

  /** The port from a line of the startup banner, or -1. */
  static int portFromBanner(String line) {
    Matcher m = LISTENING.matcher(line);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Relative entries (e.g. {@code benchmarks/target/benchmarks.jar}) made absolute, so any working directory works. */
  static String absoluteClasspath(String classpath) {
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  HttpClient http() {
    return http;
  }

  URI webSocketUri(String sessionId, String token) {
    return URI.create("ws://127.0.0.1:" + port + "/api/focus/ws/" + sessionId + "?token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&enable_recording=true");
  }

  /** A demo-mode access token for {@code user}. */
  String token(String user) {
    return call(
            "GET",
            "/api/dev/token?user_id=" + URLEncoder.encode(user, StandardCharsets.UTF_8),
            null,
            null,
            200)
        .get("access_token")
        .asText();
  }

  /** Creates a focus session; returns its id. */
  String createSession(String token, String name) {
    String body = "{\"session_name\":" + JSON.valueToTree(name)
        + ",\"subject\":\"load\",\"initial_score\":100}";
    return call("POST", "/api/focus/sessions", token, body, 201)
        .get("session_id")
        .asText();
  }

  /** Starts the session's recording with explicit options (the host's default is 1080p); returns its id. */
  String startRecording(
      String token, String sessionId, double fps, String resolution, String codec, int quality) {
    String query = "?fps=" + ReferenceRun.fmt(fps) + "&resolution=" + resolution + "&codec=" + codec
        + "&quality=" + quality;
    return call(
            "POST", "/api/recordings/sessions/" + sessionId + "/start" + query, token, null, 200)
        .get("recording_id")
        .asText();
  }

  /** Ends the session, which stops its recording; the response carries the finished recording. */
  CompletableFuture<JsonNode> endSession(String token, String sessionId) {
    return callAsync(
        "POST",
        "/api/focus/sessions/" + sessionId + "/end",
        token,
        "{\"status\":\"completed\"}",
        200);
  }

  /** A recording's stored metadata. */
  JsonNode recording(String token, String recordingId) {
    return call("GET", "/api/recordings/" + recordingId, token, null, 200);
  }

  void deleteRecording(String token, String recordingId) {
    call("DELETE", "/api/recordings/" + recordingId, token, null, 200);
  }

  private JsonNode call(
      String method, String path, @Nullable String token, @Nullable String body, int expected) {
    try {
      return callAsync(method, path, token, body, expected).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private CompletableFuture<JsonNode> callAsync(
      String method, String path, @Nullable String token, @Nullable String body, int expected) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(REQUEST_TIMEOUT)
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() != expected) {
        throw new IllegalStateException(
            method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      try {
        return JSON.readTree(r.body());
      } catch (IOException e) {
        throw new UncheckedIOException(
            method + " " + path + " did not answer JSON: " + r.body(), e);
      }
    });
  }

  /** Stops the host the way an operator would (SIGTERM: its shutdown hook finishes open recordings). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway, harmlessly
      }
    }
  }

  /** The last lines of the host's output, for error messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
