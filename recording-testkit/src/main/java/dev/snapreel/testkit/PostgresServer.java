package dev.snapreel.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} binaries, {@code initdb} into a
 * temp directory and {@code pg_ctl} on a free loopback port (socket in the same directory), started
 * once per test JVM and stopped at its exit. As root it runs as the unprivileged {@code postgres}
 * user ({@code runuser}), which owns the directory. Durability is off (fsync) to keep tests fast.
 *
 * <p>Without the binaries the tests are skipped with what to install, unless {@code
 * SNAPREEL_REQUIRE_POSTGRES=true} (as {@code .ci/run} sets), where they fail. Needs the PostgreSQL
 * JDBC driver on the class path for {@link #newDatabase()}.
 *
 * @since 0.1.0
 */
public final class PostgresServer implements AutoCloseable {
  private static final String USER = "snapreel";
  private static @Nullable PostgresServer shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asRoot;
  private final boolean durable;
  private final AtomicInteger databases = new AtomicInteger();
  private volatile boolean running;

  private PostgresServer(Path bin, Path dir, int port, boolean asRoot, boolean durable) {
    this.durable = durable;
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** The server shared by every test of this JVM, started on first use. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer s = startNew();
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "postgres-stop"));
      shared = s;
    }
    return shared;
  }

  /** A server of its own (e.g. to stop and start it), durability off; close it. */
  public static PostgresServer startNew() {
    return startNew(false);
  }

  /**
   * A server of its own; {@code durable} keeps PostgreSQL's defaults (fsync, synchronous commit), as
   * for benchmarks of writes.
   */
  public static PostgresServer startNew(boolean durable) {
    Path bin = findBinaries();
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("snapreel-pg");
      if (asRoot) {
        run(List.of("chown", "postgres:postgres", dir.toString()), dir.resolve("chown.log"));
      }
      PostgresServer server = new PostgresServer(bin, dir, freePort(), asRoot, durable);
      server.initdb();
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path findBinaries() {
    String override = System.getenv("SNAPREEL_PG_BIN");
    List<Path> candidates = new ArrayList<>();
    if (override != null && !override.isBlank()) {
      candidates.add(Path.of(override));
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        versions
            .map(v -> v.resolve("bin"))
            .sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
            .forEach(candidates::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
        return c;
      }
    }
    String message =
        "PostgreSQL server binaries not found (apt-get install postgresql, or set SNAPREEL_PG_BIN)";
    if ("true".equals(System.getenv("SNAPREEL_REQUIRE_POSTGRES"))) {
      throw new IllegalStateException(message);
    }
    assumeTrue(false, message);
    throw new AssertionError(message);
  }

  private static int versionOf(Path bin) {
    Path version = bin.getParent();
    Path name = version != null ? version.getFileName() : null;
    if (name == null) {
      return 0;
    }
    try {
      return Integer.parseInt(name.toString());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void initdb() {
    pg(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data().toString(),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync"),
        "initdb.log");
  }

  /** Starts the server (again) on its port. */
  public synchronized void start() {
    String options =
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=100"
            + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    pg(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data().toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start"),
        "pg_ctl-start.log");
    running = true;
  }

  /** Stops the server (fast shutdown: open connections are closed). */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    pg(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data().toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "stop"),
        "pg_ctl-stop.log");
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of {@code database}. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** Creates a new, empty database and returns its JDBC URL. */
  public String newDatabase() {
    String name = "t" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  private Path data() {
    return dir.resolve("data");
  }

  private void pg(List<String> command, String logName) {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, dir.resolve(logName));
  }

  private static void run(List<String> command, Path log) {
    try {
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      System.err.println("could not stop PostgreSQL in " + dir + ": " + e.getMessage());
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
