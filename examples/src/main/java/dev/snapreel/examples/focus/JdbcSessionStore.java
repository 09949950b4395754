package dev.snapreel.examples.focus;

import static java.util.Objects.requireNonNull;

import dev.snapreel.index.IndexException;
import dev.snapreel.index.jdbc.JdbcRecordingIndex;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Focus sessions in a table of the recording index's database ({@code example_focus_sessions}, made
 * if missing), so a session created before a restart (even a kill -9) still starts recordings and
 * takes its WebSocket again. The live focus score starts over from the initial score.
 */
public final class JdbcSessionStore implements SessionStore {
  private static final String TABLE = "example_focus_sessions";

  private final DataSource dataSource;

  private JdbcSessionStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A store in {@code dataSource}; creates its table if needed. */
  public static JdbcSessionStore create(DataSource dataSource) {
    JdbcSessionStore store = new JdbcSessionStore(requireNonNull(dataSource, "dataSource"));
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
          + " session_id VARCHAR(128) NOT NULL PRIMARY KEY,"
          + " owner_id VARCHAR(128) NOT NULL,"
          + " session_name VARCHAR(512) NOT NULL,"
          + " subject VARCHAR(512),"
          + " initial_score DOUBLE PRECISION NOT NULL,"
          + " started_at_us BIGINT NOT NULL,"
          + " status VARCHAR(16) NOT NULL,"
          + " ended_at_us BIGINT)");
    } catch (SQLException e) {
      throw failure("cannot create the sessions table", e);
    }
    return store;
  }

  @Override
  public void opened(FocusSession s) {
    String sql =
        "INSERT INTO " + TABLE + " (session_id, owner_id, session_name, subject, initial_score,"
            + " started_at_us, status, ended_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, s.sessionId());
      ps.setString(2, s.ownerId());
      ps.setString(3, s.sessionName());
      ps.setString(4, s.subject());
      ps.setDouble(5, s.initialScore());
      ps.setLong(6, micros(s.startedAt()));
      ps.setString(7, s.status().wireName());
      setMicros(ps, 8, s.endedAt());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("cannot save session " + s.sessionId(), e);
    }
  }

  @Override
  public void ended(FocusSession s) {
    String sql = "UPDATE " + TABLE + " SET status = ?, ended_at_us = ? WHERE session_id = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, s.status().wireName());
      setMicros(ps, 2, s.endedAt());
      ps.setString(3, s.sessionId());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("cannot save session " + s.sessionId(), e);
    }
  }

  @Override
  public Optional<StoredSession> load(String sessionId) {
    String sql =
        "SELECT owner_id, session_name, subject, initial_score, started_at_us, status, ended_at_us"
            + " FROM " + TABLE + " WHERE session_id = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long ended = rs.getLong(7);
        Instant endedAt = rs.wasNull() ? null : instant(ended);
        return Optional.of(new StoredSession(
            sessionId,
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getDouble(4),
            instant(rs.getLong(5)),
            SessionStatus.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
            endedAt));
      }
    } catch (SQLException e) {
      throw failure("cannot read session " + sessionId, e);
    }
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  private static void setMicros(PreparedStatement ps, int i, @Nullable Instant t)
      throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, micros(t));
    }
  }

  private static IndexException failure(String what, SQLException e) {
    return JdbcRecordingIndex.failure(what, e);
  }
}
