package dev.snapreel.benchmarks.load;

import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.jdbc.JdbcRecordingIndex;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import dev.snapreel.storage.LocalStorage;
import dev.snapreel.testkit.PostgresServer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.postgresql.PGConnection;

/**
 * List latency of the recording index: one owner with {@code --owner-rows} recordings (default
 * 10,000) in an index of {@code --rows} (default 1,000,000 synthetic rows), for the storage-derived
 * default (local disk), the embedded H2 file and a real PostgreSQL server started here. Prints p50
 * and p99 of a first page, of a page at a random depth (keyset cursor), of a session page and of
 * the usage query, plus put/update latency (what the index adds to a recording's start and stop).
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.snapreel.benchmarks.load.IndexListHarness \
 *   [--rows 1000000] [--owner-rows 10000] [--page 50] [--iterations 2000] [--backends storage,h2,postgres]
 * </pre>
 *
 * <p>The storage-derived index reads only the storage's root and the owner's prefix, so its layout
 * holds the owner's recordings (JSON and an empty video each) and one recording for each other owner
 * directory (as many directories as the database has other owners); the databases hold every row.
 */
public final class IndexListHarness {
  private static final String OWNER = "bench-owner";
  private static final int PER_OTHER_OWNER = 100;
  private static final int SESSIONS = 100;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private int rows = 1_000_000;
  private int ownerRows = 10_000;
  private int page = 50;
  private int iterations = 2000;
  private List<String> backends = List.of("storage", "h2", "postgres");

  public static void main(String[] args) throws Exception {
    IndexListHarness h = new IndexListHarness();
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--rows" -> h.rows = Integer.parseInt(v);
        case "--owner-rows" -> h.ownerRows = Integer.parseInt(v);
        case "--page" -> h.page = Integer.parseInt(v);
        case "--iterations" -> h.iterations = Integer.parseInt(v);
        case "--backends" -> h.backends = List.of(v.split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    h.run();
  }

  private static RecordingMetadata row(
      String owner, int session, int n, Instant createdAt, Random random) {
    String sessionId = "session-" + session;
    String filename = "session_" + sessionId + "_" + n + ".mp4";
    return RecordingMetadata.builder()
        .identity(
            new UUID(random.nextLong(), random.nextLong()).toString(),
            owner,
            sessionId,
            filename,
            owner + "/" + sessionId + "/" + filename)
        .status(RecordingStatus.COMPLETED)
        .format("h264", 30, 1280, 720)
        .durationSeconds(60)
        .frameCount(1800)
        .fileSizeBytes(3_100_000L + n)
        .sha256("ab".repeat(32))
        .createdAt(createdAt)
        .startedAt(createdAt.plusMillis(30))
        .endedAt(createdAt.plusSeconds(60))
        .counters(300, 0, 1500, 0)
        .build();
  }

  /** Every synthetic row, the owner's first, in batches. */
  private void generate(int batch, java.util.function.Consumer<List<RecordingMetadata>> sink) {
    Random random = new Random(42);
    List<RecordingMetadata> out = new ArrayList<>(batch);
    for (int i = 0; i < ownerRows; i++) {
      out.add(row(OWNER, i % SESSIONS, i, T0.plusSeconds(i * 37L), random));
      if (out.size() == batch) {
        sink.accept(out);
        out = new ArrayList<>(batch);
      }
    }
    for (int i = 0; i < rows - ownerRows; i++) {
      String owner = String.format(Locale.ROOT, "owner-%06d", i / PER_OTHER_OWNER);
      out.add(row(owner, i % 7, i, T0.plusSeconds(i * 11L), random));
      if (out.size() == batch) {
        sink.accept(out);
        out = new ArrayList<>(batch);
      }
    }
    if (!out.isEmpty()) {
      sink.accept(out);
    }
  }

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "index list latency: owner with %,d of %,d rows, page %d, %d iterations%n",
        ownerRows,
        rows,
        page,
        iterations);
    System.out.println(
        "| index | load | first page p50 / p99 | deep page p50 / p99 | session page p50 / p99 | usage p50 / p99 | put p50 / p99 | update p50 / p99 | machine load avg |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    Path dir = Files.createTempDirectory("snapreel-index-bench");
    try {
      for (String b : backends) {
        switch (b) {
          case "storage" -> storage(dir.resolve("storage"));
          case "h2" -> h2(dir.resolve("h2"));
          case "postgres" -> postgres();
          default -> throw new IllegalArgumentException("unknown backend " + b);
        }
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile()
            .delete());
      }
    }
  }

  private void storage(Path root) throws IOException {
    long t0 = System.nanoTime();
    LocalStorage storage = LocalStorage.create(root);
    int otherOwners = (rows - ownerRows + PER_OTHER_OWNER - 1) / PER_OTHER_OWNER;
    Random random = new Random(42);
    // the files LocalStorage would write, without its fsync per file (the layout is the same)
    for (int i = 0; i < ownerRows; i++) {
      RecordingMetadata m = row(OWNER, i % SESSIONS, i, T0.plusSeconds(i * 37L), random);
      write(root, m.metadataKey(), MetadataJson.toBytes(m));
      write(root, m.filepath(), new byte[0]);
    }
    for (int i = 0; i < otherOwners; i++) {
      RecordingMetadata m = row(String.format(Locale.ROOT, "owner-%06d", i), 0, i, T0, random);
      write(root, m.metadataKey(), MetadataJson.toBytes(m));
    }
    long loadMs = (System.nanoTime() - t0) / 1_000_000;
    try (RecordingIndex index = RecordingIndex.storageDerived(storage)) {
      measure(
          String.format(
              Locale.ROOT,
              "storage-derived (local disk, %,d + %,d owner dirs)",
              ownerRows,
              otherOwners),
          index,
          loadMs,
          Math.max(20, iterations / 20));
    }
  }

  private static void write(Path root, String key, byte[] bytes) throws IOException {
    Path file = root.resolve(key);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private void h2(Path dir) {
    long t0 = System.nanoTime();
    try (JdbcRecordingIndex index = JdbcRecordingIndex.embedded(dir.resolve("index"))) {
      generate(10_000, index::putAll);
      long loadMs = (System.nanoTime() - t0) / 1_000_000;
      measure("embedded H2 (file)", index, loadMs, iterations);
    }
  }

  private void postgres() throws Exception {
    try (PostgresServer server = PostgresServer.startNew(true)) {
      String url = server.newDatabase();
      long t0 = System.nanoTime();
      try (JdbcRecordingIndex index = JdbcRecordingIndex.builder().url(url).build();
          Connection c = DriverManager.getConnection(url)) {
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        String sql =
            "COPY snapreel_recordings (recording_id, owner_id, session_id, status, created_at_us,"
                + " file_size_bytes, metadata) FROM STDIN";
        generate(50_000, batch -> {
          StringBuilder text = new StringBuilder(batch.size() * 900);
          for (RecordingMetadata m : batch) {
            text.append(m.recordingId())
                .append('\t')
                .append(m.ownerId())
                .append('\t')
                .append(m.sessionId())
                .append('\t')
                .append(m.status().wireName())
                .append('\t')
                .append(dev.snapreel.index.IndexOrder.micros(m.createdAt()))
                .append('\t')
                .append(m.fileSizeBytes())
                .append('\t')
                .append(compact(m).replace("\\", "\\\\"))
                .append('\n');
          }
          try {
            copy.copyIn(sql, new StringReader(text.toString()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        try (Statement s = c.createStatement()) {
          s.execute("VACUUM ANALYZE snapreel_recordings");
        }
        try (Statement s = c.createStatement()) {
          s.execute("CHECKPOINT"); // the load's dirty pages written before measuring
        }
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        measure("PostgreSQL 15 (loopback, fsync on, COPY-loaded)", index, loadMs, iterations);
        measure("PostgreSQL 15, second pass", index, loadMs, iterations);
        serverSide(c);
      }
    }
  }

  /** The server's own execution time of a first page (EXPLAIN ANALYZE), without client or network. */
  private void serverSide(Connection c) throws Exception {
    long[] nanos = new long[200];
    String sql =
        "EXPLAIN (ANALYZE, FORMAT JSON) SELECT metadata FROM snapreel_recordings WHERE owner_id = '"
            + OWNER + "' ORDER BY created_at_us DESC, recording_id DESC LIMIT " + (page + 1);
    for (int i = 0; i < nanos.length; i++) {
      try (Statement s = c.createStatement();
          var rs = s.executeQuery(sql)) {
        rs.next();
        String plan = rs.getString(1);
        int at = plan.indexOf("\"Execution Time\": ") + 18;
        nanos[i] = (long)
            (Double.parseDouble(plan.substring(at, plan.indexOf('}', at)).trim().replace(",", ""))
                * 1e6);
      }
    }
    Percentiles p = Percentiles.of(nanos);
    System.out.printf(
        Locale.ROOT,
        "PostgreSQL server-side execution of a first page (EXPLAIN ANALYZE, 200 runs): p50 %.3f ms, p99 %.3f ms%n",
        p.millis(0.5),
        p.millis(0.99));
  }

  private static String loadAverage() {
    try {
      String avg = Files.readString(Path.of("/proc/loadavg")).trim();
      int space = avg.indexOf(' ');
      return space < 0 ? avg : avg.substring(0, space);
    } catch (IOException e) {
      return "?";
    }
  }

  private void measure(String name, RecordingIndex index, long loadMs, int n) {
    String loadBefore = loadAverage();
    // the cursors of every page, from one walk
    List<String> cursors = new ArrayList<>();
    String cursor = null;
    int seen = 0;
    do {
      RecordingPage p = index.list(OWNER, PageRequest.after(page, cursor));
      seen += p.recordings().size();
      cursor = p.nextCursor();
      if (cursor != null) {
        cursors.add(cursor);
      }
    } while (cursor != null);
    if (seen != ownerRows) {
      throw new IllegalStateException(
          name + ": walked " + seen + " recordings, expected " + ownerRows);
    }
    Random random = new Random(7);
    int warm = Math.max(10, n / 10);
    Percentiles first = time(warm, n, () -> index.list(OWNER, PageRequest.first(page)));
    Percentiles deep = time(
        warm,
        n,
        () -> index.list(
            OWNER, PageRequest.after(page, cursors.get(random.nextInt(cursors.size())))));
    Percentiles session = time(
        warm,
        n,
        () -> index.list(OWNER, "session-" + random.nextInt(SESSIONS), PageRequest.first(page)));
    Percentiles usage = time(warm, n, () -> index.usage(OWNER));
    Random ids = new Random(99);
    List<RecordingMetadata> added = new ArrayList<>();
    Percentiles put = time(warm, n, () -> {
      RecordingMetadata m = row("writer", 0, added.size(), Instant.now(), ids).toBuilder()
          .status(RecordingStatus.RECORDING)
          .build();
      index.put(m);
      added.add(m);
      return m;
    });
    int[] next = {0};
    Percentiles update = time(warm, n, () -> {
      RecordingMetadata m = added.get(next[0]++ % added.size()).toBuilder()
          .status(RecordingStatus.COMPLETED)
          .build();
      return index.update(m);
    });
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f s | %s | %s | %s | %s | %s | %s | %s-%s |%n",
        name,
        loadMs / 1000.0,
        ms(first),
        ms(deep),
        ms(session),
        ms(usage),
        ms(put),
        ms(update),
        loadBefore,
        loadAverage());
  }

  private static String compact(RecordingMetadata m) {
    return MetadataJson.toCompactString(m);
  }

  private static String ms(Percentiles p) {
    return String.format(Locale.ROOT, "%.2f / %.2f ms", p.millis(0.5), p.millis(0.99));
  }

  private static Percentiles time(int warm, int n, Supplier<?> call) {
    for (int i = 0; i < warm; i++) {
      requireResult(call.get());
    }
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      requireResult(call.get());
      nanos[i] = System.nanoTime() - t;
    }
    return Percentiles.of(nanos);
  }

  /** Every timed call must answer (and so cannot be optimised away). */
  private static void requireResult(@org.jspecify.annotations.Nullable Object result) {
    if (result == null) {
      throw new IllegalStateException("a timed index call returned nothing");
    }
  }
}
