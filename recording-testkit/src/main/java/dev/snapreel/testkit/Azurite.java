package dev.snapreel.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real Azure Blob Storage server for tests: Microsoft's Azurite emulator from the npm registry,
 * run as a child process on a free loopback port. The version is pinned by the {@code package.json}
 * and {@code package-lock.json} shipped in this jar; the first use installs it with {@code npm ci}
 * into {@link #installDirectory()} (a few hundred MB, reused while the lock file is unchanged), so a
 * clean clone needs only Node.js and npm on the {@code PATH}. Without them {@link #start} fails with
 * what to install: nothing is skipped.
 *
 * <p>{@link #stop()} and {@link #restart()} simulate an outage of the store on the same port and
 * data directory. Close it to end the process.
 *
 * @since 0.1.0
 */
public final class Azurite implements AutoCloseable {
  /** Azurite's well-known development account. */
  public static final String ACCOUNT = "devstoreaccount1";

  /** The development account's published key (not a secret: it is in Azurite's documentation). */
  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final String RESOURCES = "/dev/snapreel/testkit/azurite/";
  private static final Pattern LISTENING =
      Pattern.compile("successfully listens on https?://[^:]+:(\\d+)");
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final Object INSTALL_LOCK = new Object();

  private final Path dataDirectory;
  private final Path log;
  private @Nullable Process process;
  private int port;

  private Azurite(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
    this.log = dataDirectory.resolve("azurite.log");
  }

  /** Installs Azurite if needed and starts its blob service on a free loopback port, storing under {@code dataDirectory}. */
  public static Azurite start(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Azurite azurite = new Azurite(dataDirectory.toAbsolutePath());
    azurite.launch(0);
    return azurite;
  }

  /**
   * Where Azurite is installed: the system property {@code snapreel.azurite.dir} (the build sets it to
   * the root's {@code target/azurite}, so all modules share one install), else {@code target/azurite}
   * under the working directory.
   */
  public static Path installDirectory() {
    String configured = System.getProperty("snapreel.azurite.dir");
    return (configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("target", "azurite"))
        .toAbsolutePath();
  }

  /** The blob service's port. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:port/devstoreaccount1}. */
  public String blobEndpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  /** A connection string with the development account's key, as {@code AZURE_STORAGE_CONNECTION_STRING} takes it. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
        + ";BlobEndpoint=" + blobEndpoint() + ";";
  }

  /** The server process's id (e.g. to read its CPU time), or -1 while stopped. */
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Waits until Azurite has written {@code container} to its metadata database on disk. Azurite keeps
   * that database in memory and saves it every few seconds, and does not always save it when
   * stopped: call this before {@link #stop()} so that an outage loses nothing a real one would keep.
   */
  public void awaitSaved(String container, Duration timeout) {
    Path db = dataDirectory.resolve("data").resolve("__azurite_db_blob__.json");
    String needle = "\"name\":\"" + container + "\"";
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!(Files.isRegularFile(db) && Files.readString(db, UTF_8).contains(needle))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Azurite did not save container " + container + " within " + timeout);
        }
        Thread.sleep(100);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the server (an outage): connections are refused until {@link #restart()}. */
  public synchronized void stop() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroy(); // SIGTERM: Azurite saves its metadata database and closes
    try {
      if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        Files.writeString(
            log,
            "[fixture] no exit " + STOP_TIMEOUT + " after SIGTERM: killed\n",
            UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port with the same data. */
  public synchronized void restart() {
    stop();
    launch(port);
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void launch(int wantedPort) {
    Path home = install();
    Path bin = home.resolve("node_modules/azurite/dist/src/blob/main.js");
    List<String> command = new ArrayList<>(Arrays.asList(
        node(),
        bin.toString(),
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        String.valueOf(wantedPort),
        "--location",
        dataDirectory.resolve("data").toString(),
        "--disableTelemetry",
        "--skipApiVersionCheck",
        "--loose"));
    Process p;
    try {
      p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start Azurite (" + String.join(" ", command) + "): " + e, e);
    }
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread pump = new Thread(
        () -> {
          try (BufferedReader in =
              new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
              Files.writeString(
                  log,
                  line + "\n",
                  UTF_8,
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.APPEND);
              Matcher m = LISTENING.matcher(line);
              if (m.find()) {
                listening.complete(Integer.parseInt(m.group(1)));
              }
            }
          } catch (IOException e) {
            listening.completeExceptionally(e);
          }
          listening.completeExceptionally(new IllegalStateException("Azurite exited"));
        },
        "azurite-output");
    pump.setDaemon(true);
    pump.start();
    try {
      port = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      process = p;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Azurite", e);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "Azurite did not start on port " + wantedPort + "; its output: " + tail(log), e);
    }
  }

  /** Runs {@code npm ci} into the install directory unless the same lock file is installed there. */
  private static Path install() {
    synchronized (INSTALL_LOCK) {
      Path home = installDirectory();
      try {
        Files.createDirectories(home);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create " + home + ": " + e, e);
      }
      // Test JVMs of several modules may share the directory (parallel builds): one installs at a
      // time.
      try (java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(
          home.resolve(".install.lock"),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.channels.FileLock held = lockFile.lock();
        try {
          return installLocked(home);
        } finally {
          held.release();
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot lock " + home + ": " + e, e);
      }
    }
  }

  private static Path installLocked(Path home) {
    try {
      byte[] lock = resource("package-lock.json");
      Path installedLock = home.resolve("node_modules/.package-lock.json");
      Path marker = home.resolve(".installed-lock");
      if (Files.isRegularFile(installedLock)
          && Files.isRegularFile(marker)
          && Arrays.equals(Files.readAllBytes(marker), lock)) {
        return home;
      }
      Files.createDirectories(home);
      Files.write(home.resolve("package.json"), resource("package.json"));
      Files.write(home.resolve("package-lock.json"), lock);
      Path npmLog = home.resolve("npm-install.log");
      List<String> command =
          List.of(npm(), "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error");
      Process p = new ProcessBuilder(command)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(npmLog.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "npm ci of Azurite took over " + INSTALL_TIMEOUT + "; see " + npmLog);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "npm ci of Azurite failed (exit " + p.exitValue() + "): " + tail(npmLog));
      }
      Path written = Files.createTempFile(home, ".installed-lock", ".tmp");
      Files.write(written, lock);
      Files.move(
          written, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return home;
    } catch (IOException e) {
      throw new IllegalStateException("cannot install Azurite into " + home + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing Azurite", e);
    }
  }

  private static String node() {
    return executable("node");
  }

  private static String npm() {
    return executable("npm");
  }

  private static String executable(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator, -1)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new IllegalStateException(
        "'" + name + "' is not on the PATH: Azurite needs Node.js >= 20 and npm"
            + " (Debian: apt-get install nodejs npm; .ci/run installs them)");
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Azurite.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("missing resource " + RESOURCES + name);
      }
      return in.readAllBytes();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return "Azurite[" + blobEndpoint() + "]";
  }
}
