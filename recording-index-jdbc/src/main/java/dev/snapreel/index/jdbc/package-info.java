/**
 * A {@link dev.snapreel.index.RecordingIndex} in a SQL database over plain JDBC: {@link
 * dev.snapreel.index.jdbc.JdbcRecordingIndex}. PostgreSQL for several hosts sharing one index, or an
 * embedded H2 file that needs no server. The schema is created and migrated with Flyway (history in
 * {@code snapreel_schema_history}, tables prefixed {@code snapreel_}), so it can live in a host's
 * own database.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.snapreel.index.jdbc;

import org.jspecify.annotations.NullMarked;
