-- snapreel recording index. Portable between PostgreSQL and H2 (PostgreSQL mode).
-- The full metadata is kept as its JSON (what the storage holds); the columns beside it are what
-- the queries select and order by. created_at_us: microseconds since the epoch, UTC.
CREATE TABLE snapreel_recordings (
  recording_id    VARCHAR(128) NOT NULL PRIMARY KEY,
  owner_id        VARCHAR(128) NOT NULL,
  session_id      VARCHAR(128) NOT NULL,
  status          VARCHAR(32)  NOT NULL,
  created_at_us   BIGINT       NOT NULL,
  file_size_bytes BIGINT       NOT NULL,
  metadata        VARCHAR      NOT NULL
);

-- Keyset pages of one owner and of one session, newest first.
CREATE INDEX snapreel_recordings_owner ON snapreel_recordings (owner_id, created_at_us DESC, recording_id DESC);
CREATE INDEX snapreel_recordings_session ON snapreel_recordings (owner_id, session_id, created_at_us DESC, recording_id DESC);
-- Usage per owner (count, total bytes) from the index alone.
CREATE INDEX snapreel_recordings_usage ON snapreel_recordings (owner_id, file_size_bytes);
-- Retention and recovery: by status, oldest first.
CREATE INDEX snapreel_recordings_status ON snapreel_recordings (status, created_at_us, recording_id);

-- Small settings shared by every host on this database (e.g. the page cursors' key).
CREATE TABLE snapreel_settings (
  setting_name  VARCHAR(64)  NOT NULL PRIMARY KEY,
  setting_value VARCHAR(256) NOT NULL
);
