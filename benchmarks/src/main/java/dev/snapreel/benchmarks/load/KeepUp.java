package dev.snapreel.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a load level kept up, with the reasons when it did not. One set of rules for both modes
 * of the harness, so "kept up" means the same with and without the WebSocket in front: nothing
 * dropped or failed, no queue grew past {@value #MAX_QUEUE} snapshots, every stop finished within
 * {@value #MAX_STOP_SECONDS} s; in WebSocket mode also every frame answered, no error replies, no
 * more than {@value #MAX_IN_FLIGHT} frames awaiting a reply on any connection, and each recording
 * as long as the wall time it covered, within {@value #FRAME_TOLERANCE} frames.
 */
final class KeepUp {
  /** A snapshot queue deeper than this means the writer is falling behind. */
  static final int MAX_QUEUE = 3;

  static final double MAX_STOP_SECONDS = 5.0;

  /**
   * Frames sent but not yet answered on one connection. At 5 FPS with jitter two frames can be in
   * flight with a healthy 100 ms reply; more means frames wait in the host's receive path.
   */
  static final int MAX_IN_FLIGHT = 3;

  /**
   * How far a recording's frame count may be off the client's wall time: the host stamps the first
   * frame and the stop on arrival, a few milliseconds after the client sent them (100 ms at 30 FPS).
   */
  static final long FRAME_TOLERANCE = 3;

  private final List<String> reasons = new ArrayList<>();

  KeepUp dropped(long snapshots) {
    if (snapshots > 0) {
      reasons.add(snapshots + " dropped");
    }
    return this;
  }

  KeepUp failed(long recordings) {
    if (recordings > 0) {
      reasons.add(recordings + " failed");
    }
    return this;
  }

  KeepUp maxQueued(int deepest) {
    if (deepest > MAX_QUEUE) {
      reasons.add("queue reached " + deepest);
    }
    return this;
  }

  KeepUp slowestStop(double seconds) {
    if (seconds > MAX_STOP_SECONDS) {
      reasons.add(String.format(Locale.ROOT, "stop took %.1f s", seconds));
    }
    return this;
  }

  KeepUp unanswered(long frames) {
    if (frames > 0) {
      reasons.add(frames + " frames unanswered");
    }
    return this;
  }

  KeepUp errorReplies(long replies) {
    if (replies > 0) {
      reasons.add(replies + " error replies");
    }
    return this;
  }

  KeepUp maxInFlight(int frames) {
    if (frames > MAX_IN_FLIGHT) {
      reasons.add("reply backlog reached " + frames);
    }
    return this;
  }

  /** Per recording: frames written against the frames its wall time at the output rate should give. */
  KeepUp frames(long[] written, long[] expected) {
    if (written.length != expected.length) {
      throw new IllegalArgumentException("written and expected differ in length");
    }
    int off = 0;
    long worst = 0;
    for (int i = 0; i < written.length; i++) {
      long d = written[i] - expected[i];
      if (Math.abs(d) > FRAME_TOLERANCE) {
        off++;
        worst = Math.abs(d) > Math.abs(worst) ? d : worst;
      }
    }
    if (off > 0) {
      reasons.add(String.format(
          Locale.ROOT, "%d recordings off the wall time (worst %+d frames)", off, worst));
    }
    return this;
  }

  boolean keptUp() {
    return reasons.isEmpty();
  }

  String why() {
    return reasons.isEmpty() ? "ok" : String.join(", ", reasons);
  }
}
