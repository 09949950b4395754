package dev.snapreel.index.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.snapreel.index.IndexException;
import dev.snapreel.index.IndexOrder;
import dev.snapreel.index.IndexUnavailableException;
import dev.snapreel.index.OwnerUsage;
import dev.snapreel.index.PageCursor;
import dev.snapreel.index.PageCursors;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.RecordingQuery;
import dev.snapreel.metadata.MetadataJson;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RecordingIndex} in PostgreSQL or an embedded H2 database, over plain JDBC.
 *
 * <pre>{@code
 * RecordingIndex index = JdbcRecordingIndex.builder()
 *     .url("jdbc:postgresql://db:5432/app").user("app").password(secret)
 *     .build();                                // migrates the schema, opens a small pool
 * RecordingIndex embedded = JdbcRecordingIndex.embedded(Path.of("recordings/.index/index"));
 * }</pre>
 *
 * <p>One row per recording: the columns the queries use plus the metadata's JSON, so {@link #get}
 * returns exactly what was {@link #put}. Pages are keyset queries on {@code (owner_id, created_at_us,
 * recording_id)} indexes. Cursors are signed with a key kept in the database ({@code
 * snapreel_settings}), so they stay valid across restarts and between hosts sharing it.
 *
 * <p>An unreachable database throws {@link IndexUnavailableException} within the pool's connection
 * timeout (default 2 s); other SQL failures throw {@link IndexException}.
 *
 * @since 0.1.0
 */
public final class JdbcRecordingIndex implements RecordingIndex {
  static final String TABLE = "snapreel_recordings";
  private static final String COLUMNS =
      "recording_id, owner_id, session_id, status, created_at_us, file_size_bytes, metadata";
  private static final int BATCH = 500;

  private enum Dialect {
    POSTGRESQL("INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (recording_id) DO UPDATE SET owner_id = EXCLUDED.owner_id,"
        + " session_id = EXCLUDED.session_id, status = EXCLUDED.status,"
        + " created_at_us = EXCLUDED.created_at_us, file_size_bytes = EXCLUDED.file_size_bytes,"
        + " metadata = EXCLUDED.metadata"),
    H2("MERGE INTO " + TABLE + " (" + COLUMNS
        + ") KEY (recording_id) VALUES (?, ?, ?, ?, ?, ?, ?)");

    final String upsert;

    Dialect(String upsert) {
      this.upsert = upsert;
    }

    static Dialect of(String productName) {
      String p = productName.toLowerCase(Locale.ROOT);
      if (p.contains("postgres")) {
        return POSTGRESQL;
      }
      if (p.equals("h2")) {
        return H2;
      }
      throw new IllegalArgumentException(
          "unsupported database " + productName + " (PostgreSQL or H2)");
    }
  }

  private final DataSource dataSource;
  private final @Nullable HikariDataSource ownedPool;
  private final Dialect dialect;
  private final PageCursors cursors;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcRecordingIndex(
      DataSource dataSource,
      @Nullable HikariDataSource ownedPool,
      boolean migrate,
      @Nullable PageCursors cursors) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    try {
      if (migrate) {
        migrate(dataSource);
      }
      try (Connection c = dataSource.getConnection()) {
        this.dialect = Dialect.of(c.getMetaData().getDatabaseProductName());
      }
      this.cursors = cursors != null ? cursors : PageCursors.withKey(sharedCursorKey());
    } catch (SQLException e) {
      closePool();
      throw failure("cannot open the recording index", e);
    } catch (FlywayException e) {
      closePool();
      SQLException sql = sqlCause(e);
      throw sql != null
          ? failure("cannot migrate the recording index", sql)
          : new IndexException("cannot migrate the recording index: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closePool();
      throw e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An index in an embedded H2 database at {@code file} (H2 adds {@code .mv.db}); no server. */
  public static JdbcRecordingIndex embedded(Path file) {
    return builder().url(embeddedUrl(file)).build();
  }

  /** The JDBC URL of an embedded H2 file database in PostgreSQL mode. */
  public static String embeddedUrl(Path file) {
    return "jdbc:h2:file:" + file.toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  /** Creates or migrates the schema in {@code dataSource} (what {@link Builder#build()} does). */
  public static void migrate(DataSource dataSource) {
    Flyway.configure(JdbcRecordingIndex.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/snapreel")
        .table("snapreel_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /** The database this index works in, e.g. for a host's own tables beside it. */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void put(RecordingMetadata m) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(dialect.upsert)) {
      bindRow(ps, m);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("cannot index recording " + m.recordingId(), e);
    }
  }

  @Override
  public void putAll(Collection<RecordingMetadata> recordings) {
    if (recordings.isEmpty()) {
      return;
    }
    try (Connection c = connection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(dialect.upsert)) {
        int n = 0;
        for (RecordingMetadata m : recordings) {
          bindRow(ps, m);
          ps.addBatch();
          if (++n % BATCH == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw failure("cannot index " + recordings.size() + " recordings", e);
    }
  }

  @Override
  public boolean update(RecordingMetadata m) {
    String sql = "UPDATE " + TABLE
        + " SET session_id = ?, status = ?, created_at_us = ?, file_size_bytes = ?,"
        + " metadata = ? WHERE recording_id = ? AND owner_id = ?";
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, m.sessionId());
      ps.setString(2, m.status().wireName());
      ps.setLong(3, IndexOrder.micros(m.createdAt()));
      ps.setLong(4, m.fileSizeBytes());
      ps.setString(5, json(m));
      ps.setString(6, m.recordingId());
      ps.setString(7, m.ownerId());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failure("cannot update recording " + m.recordingId(), e);
    }
  }

  @Override
  public boolean remove(String ownerId, String recordingId) {
    String sql = "DELETE FROM " + TABLE + " WHERE recording_id = ? AND owner_id = ?";
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, recordingId);
      ps.setString(2, ownerId);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failure("cannot remove recording " + recordingId, e);
    }
  }

  @Override
  public Optional<RecordingMetadata> get(String ownerId, String recordingId) {
    String sql = "SELECT metadata FROM " + TABLE + " WHERE recording_id = ? AND owner_id = ?";
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, recordingId);
      ps.setString(2, ownerId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("cannot read recording " + recordingId, e);
    }
  }

  @Override
  public RecordingPage list(String ownerId, PageRequest page) {
    String scope = PageCursors.ownerScope(ownerId);
    return newestFirst(scope, "owner_id = ?", List.of(ownerId), page);
  }

  @Override
  public RecordingPage list(String ownerId, String sessionId, PageRequest page) {
    String scope = PageCursors.sessionScope(ownerId, sessionId);
    return newestFirst(scope, "owner_id = ? AND session_id = ?", List.of(ownerId, sessionId), page);
  }

  private RecordingPage newestFirst(
      String scope, String where, List<String> args, PageRequest page) {
    @Nullable PageCursor after = cursors.position(scope, page.cursor());
    StringBuilder sql = new StringBuilder("SELECT metadata FROM ")
        .append(TABLE)
        .append(" WHERE ")
        .append(where);
    if (after != null) {
      sql.append(" AND created_at_us <= ? AND (created_at_us < ? OR recording_id < ?)");
    }
    sql.append(" ORDER BY created_at_us DESC, recording_id DESC LIMIT ?");
    return query(scope, sql.toString(), args, after, page.limit());
  }

  @Override
  public OwnerUsage usage(String ownerId) {
    String sql =
        "SELECT COUNT(*), COALESCE(SUM(file_size_bytes), 0) FROM " + TABLE + " WHERE owner_id = ?";
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ownerId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new OwnerUsage(rs.getLong(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw failure("cannot read the usage of " + ownerId, e);
    }
  }

  @Override
  public RecordingPage find(RecordingQuery query, PageRequest page) {
    String scope = query.cursorScope();
    @Nullable PageCursor after = cursors.position(scope, page.cursor());
    List<String> args = new ArrayList<>();
    StringJoiner in = new StringJoiner(", ", "status IN (", ")");
    for (RecordingStatus s : RecordingStatus.values()) {
      if (query.statuses().contains(s)) {
        in.add("?");
        args.add(s.wireName());
      }
    }
    StringBuilder sql = new StringBuilder("SELECT metadata FROM ")
        .append(TABLE)
        .append(" WHERE ")
        .append(in);
    Instant cutoff = query.createdBefore();
    if (cutoff != null) {
      sql.append(" AND created_at_us < ").append(IndexOrder.micros(cutoff));
    }
    if (after != null) {
      sql.append(" AND created_at_us >= ? AND (created_at_us > ? OR recording_id > ?)");
    }
    sql.append(" ORDER BY created_at_us, recording_id LIMIT ?");
    return query(scope, sql.toString(), args, after, page.limit());
  }

  /** Runs a page query: {@code args}, then the cursor's three values if any, then limit + 1. */
  private RecordingPage query(
      String scope, String sql, List<String> args, @Nullable PageCursor after, int limit) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String a : args) {
        ps.setString(i++, a);
      }
      if (after != null) {
        ps.setLong(i++, after.createdAtMicros());
        ps.setLong(i++, after.createdAtMicros());
        ps.setString(i++, after.recordingId());
      }
      ps.setInt(i, limit + 1);
      List<RecordingMetadata> out = new ArrayList<>(Math.min(limit + 1, 1024));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(parse(rs.getString(1)));
        }
      }
      if (out.size() <= limit) {
        return new RecordingPage(out, null);
      }
      List<RecordingMetadata> items = out.subList(0, limit);
      return new RecordingPage(
          items, cursors.encode(scope, IndexOrder.positionOf(items.get(limit - 1))));
    } catch (SQLException e) {
      throw failure("cannot list recordings", e);
    }
  }

  private static void bindRow(PreparedStatement ps, RecordingMetadata m) throws SQLException {
    ps.setString(1, m.recordingId());
    ps.setString(2, m.ownerId());
    ps.setString(3, m.sessionId());
    ps.setString(4, m.status().wireName());
    ps.setLong(5, IndexOrder.micros(m.createdAt()));
    ps.setLong(6, m.fileSizeBytes());
    ps.setString(7, json(m));
  }

  /** The metadata's JSON as the storage has it, without the indentation. */
  static String json(RecordingMetadata m) {
    return MetadataJson.toCompactString(m);
  }

  private static RecordingMetadata parse(String json) {
    return MetadataJson.fromBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * On PostgreSQL, runs {@code task} while holding the session advisory lock of {@code taskName}
   * ({@code pg_try_advisory_lock}), so one host at a time runs it; returns false at once if another
   * holds it. Elsewhere (an embedded file belongs to one process) it just runs.
   */
  @Override
  public boolean runExclusively(String taskName, Runnable task) {
    if (dialect != Dialect.POSTGRESQL) {
      task.run();
      return true;
    }
    long key = lockKey(taskName);
    try (Connection c = connection()) {
      if (!advisory(c, "SELECT pg_try_advisory_lock(?)", key)) {
        return false;
      }
      try {
        task.run();
        return true;
      } finally {
        advisory(c, "SELECT pg_advisory_unlock(?)", key);
      }
    } catch (SQLException e) {
      throw failure("cannot take the lock of " + taskName, e);
    }
  }

  private static boolean advisory(Connection c, String sql, long key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** A stable 64-bit key for a task name (FNV-1a). */
  static long lockKey(String taskName) {
    long h = 0xcbf29ce484222325L;
    for (byte b : ("snapreel:" + taskName).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The cursor key every host on this database shares, made by the first one. */
  private byte[] sharedCursorKey() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Optional<String> existing = setting(c, "cursor_key");
      if (existing.isPresent()) {
        return HexFormat.of().parseHex(existing.get());
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO snapreel_settings (setting_name, setting_value) VALUES (?, ?)")) {
        ps.setString(1, "cursor_key");
        ps.setString(2, HexFormat.of().formatHex(PageCursors.newKey()));
        ps.executeUpdate();
      } catch (SQLException e) {
        // another host inserted it first: use theirs
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return HexFormat.of()
          .parseHex(setting(c, "cursor_key")
              .orElseThrow(() -> new SQLException("cursor key missing after insert")));
    }
  }

  private static Optional<String> setting(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT setting_value FROM snapreel_settings WHERE setting_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private Connection connection() throws SQLException {
    if (closed.get()) {
      throw new IllegalStateException("recording index is closed");
    }
    return dataSource.getConnection();
  }

  /**
   * The index exception for a failed SQL call: {@link IndexUnavailableException} when the database
   * cannot be reached (connection errors, shutdown, no resources), else {@link IndexException}. For
   * host tables kept beside the index (e.g. sessions).
   */
  public static IndexException failure(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean unreachable = e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException
        || state.startsWith("08") // connection exception
        || state.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
        || state.startsWith("53"); // insufficient resources
    String message = what + ": " + e.getMessage();
    return unreachable ? new IndexUnavailableException(message, e) : new IndexException(message, e);
  }

  private static @Nullable SQLException sqlCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  private void closePool() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  /** Closes the connection pool this index opened (not a {@link Builder#dataSource} given to it). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closePool();
    }
  }

  /** Configures a {@link JdbcRecordingIndex}: a {@link #url} or a {@link #dataSource}. */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String user;
    private @Nullable String password;
    private @Nullable DataSource dataSource;
    private int maxPoolSize = 8;
    private Duration connectionTimeout = Duration.ofSeconds(2);
    private boolean migrate = true;
    private @Nullable PageCursors cursors;

    private Builder() {}

    /** A JDBC URL ({@code jdbc:postgresql:...} or {@code jdbc:h2:...}); the index opens a pool. */
    public Builder url(String url) {
      requireNonNull(url, "url");
      if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
        throw new IllegalArgumentException("expected a jdbc:postgresql: or jdbc:h2: URL");
      }
      this.url = url;
      return this;
    }

    public Builder user(@Nullable String user) {
      this.user = user;
      return this;
    }

    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /** A data source the host owns (and closes); instead of {@link #url}. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** Connections of the pool opened for {@link #url}; default 8. */
    public Builder maxPoolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("maxPoolSize must be >= 1, was " + size);
      }
      this.maxPoolSize = size;
      return this;
    }

    /** How long a query waits for a connection before {@link IndexUnavailableException}; default 2 s. */
    public Builder connectionTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 250) {
        throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
      }
      this.connectionTimeout = timeout;
      return this;
    }

    /** Whether {@link #build} creates or migrates the schema; default true. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** Signs cursors with this codec instead of the key kept in the database. */
    public Builder cursors(PageCursors cursors) {
      this.cursors = requireNonNull(cursors, "cursors");
      return this;
    }

    /**
     * Opens the index: migrates the schema (unless told not to) and reads or creates the cursor key.
     *
     * @throws IndexUnavailableException if the database cannot be reached
     */
    public JdbcRecordingIndex build() {
      if ((url == null) == (dataSource == null)) {
        throw new IllegalStateException("give exactly one of url(...) and dataSource(...)");
      }
      if (dataSource != null) {
        return new JdbcRecordingIndex(dataSource, null, migrate, cursors);
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(maxPoolSize);
      config.setMinimumIdle(1);
      config.setConnectionTimeout(connectionTimeout.toMillis());
      config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 1000));
      config.setPoolName("snapreel-index");
      HikariDataSource pool;
      try {
        pool = new HikariDataSource(config);
      } catch (RuntimeException e) {
        SQLException sql = sqlCause(e);
        throw sql != null
            ? failure("cannot connect to the recording index", sql)
            : new IndexUnavailableException(
                "cannot connect to the recording index: " + e.getMessage(), e);
      }
      return new JdbcRecordingIndex(pool, pool, migrate, cursors);
    }
  }
}
