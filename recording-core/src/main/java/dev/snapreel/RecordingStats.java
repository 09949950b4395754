package dev.snapreel;

import org.jspecify.annotations.Nullable;

/**
 * Live counters of an active recording. {@code framesReceived} counts accepted snapshots; {@code
 * framesWritten} output frames (unique plus {@code framesDuplicated}); {@code framesDropped}
 * snapshots never shown (queue overflow, or superseded within one output slot); {@code
 * framesRejected} snapshots that could not be decoded; {@code queued} snapshots waiting for the
 * writer.
 *
 * @since 0.1.0
 */
public record RecordingStats(
    long framesReceived,
    long framesWritten,
    long framesDuplicated,
    long framesDropped,
    long framesRejected,
    int queued,
    @Nullable String lastError) {}
