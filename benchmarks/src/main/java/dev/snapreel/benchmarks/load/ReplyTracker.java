package dev.snapreel.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One WebSocket connection's frames and the host's replies to them. The host handles a
 * connection's messages one at a time and answers every binary frame with exactly one message
 * ({@code detection}, or {@code error}/{@code session_ended}), so the k-th reply answers the k-th
 * frame; a reply's latency is its arrival minus that frame's send time. {@code detection} replies
 * also number the frames the session analysed, which double-checks the pairing. Thread-safe: frames
 * are sent from the feeder, replies arrive on the HTTP client's threads.
 */
final class ReplyTracker {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a reply said that the harness uses; {@code frameNumber}, {@code queued}, {@code
   * processingMs} (the host's own time in its frame handler) are -1 when absent.
   */
  record Reply(
      String type,
      long frameNumber,
      int facesDetected,
      boolean recordingActive,
      int queued,
      double processingMs) {
    boolean answersFrame() {
      return !"pong".equals(type);
    }

    boolean isError() {
      return !"detection".equals(type);
    }

    /** Reads a reply of {@code FocusSocket}; unknown or missing fields get neutral values. */
    static Reply parse(String json) {
      JsonNode n;
      try {
        n = JSON.readTree(json);
      } catch (IOException e) {
        throw new UncheckedIOException("reply is not JSON: " + json, e);
      }
      JsonNode rec = n.path("recording");
      return new Reply(
          n.path("type").asText("?"),
          n.path("frame_number").asLong(-1),
          n.path("faces_detected").asInt(0),
          rec.path("active").asBoolean(false),
          rec.path("queued").asInt(-1),
          n.path("processing_ms").asDouble(-1));
    }
  }

  private long[] sentAt = new long[64];
  private int sent;
  private long[] latencies = new long[64];
  private int answered;
  private long[] processing = new long[64];
  private int detections;
  private int errors;
  private int misnumbered;
  private int unexpected;
  private int maxInFlight;
  private int maxQueued;
  private int withFaces;
  private boolean recordingInactive;
  private long firstSent = -1;

  /** Records a frame handed to the socket at {@code nanos}; frames must be recorded in send order. */
  synchronized void sent(long nanos) {
    if (sent == sentAt.length) {
      sentAt = Arrays.copyOf(sentAt, sent * 2);
    }
    sentAt[sent++] = nanos;
    if (firstSent < 0) {
      firstSent = nanos;
    }
    maxInFlight = Math.max(maxInFlight, sent - answered);
  }

  /** Pairs a reply that arrived at {@code nanos} with the oldest unanswered frame. */
  synchronized void replied(Reply reply, long nanos) {
    if (!reply.answersFrame()) {
      return;
    }
    if (answered == sent) {
      unexpected++; // a reply to nothing: the pairing would be wrong from here on, so count it and
      // skip
      return;
    }
    if (answered == latencies.length) {
      latencies = Arrays.copyOf(latencies, answered * 2);
    }
    latencies[answered] = nanos - sentAt[answered];
    answered++;
    if (reply.isError()) {
      errors++;
      return;
    }
    if (detections == processing.length) {
      processing = Arrays.copyOf(processing, detections * 2);
    }
    processing[detections] = reply.processingMs() < 0 ? -1 : Math.round(reply.processingMs() * 1e6);
    detections++;
    if (reply.frameNumber() != detections) {
      misnumbered++;
    }
    maxQueued = Math.max(maxQueued, reply.queued());
    if (reply.facesDetected() > 0) {
      withFaces++;
    }
    if (!reply.recordingActive()) {
      recordingInactive = true;
    }
  }

  synchronized long[] latencies() {
    return Arrays.copyOf(latencies, answered);
  }

  /** The host's handler time of each detection, in nanoseconds (0.1 ms resolution); -1 where not reported. */
  synchronized long[] processingNanos() {
    return Arrays.copyOf(processing, detections);
  }

  synchronized int unanswered() {
    return sent - answered;
  }

  /** Error and {@code session_ended} replies, and replies that answered no frame. */
  synchronized int errors() {
    return errors + unexpected;
  }

  /** Detections whose frame number was not the count of detections so far: the pairing is off. */
  synchronized int misnumbered() {
    return misnumbered;
  }

  synchronized int maxInFlight() {
    return maxInFlight;
  }

  /** The deepest recording queue any reply reported. */
  synchronized int maxQueued() {
    return maxQueued;
  }

  synchronized int withFaces() {
    return withFaces;
  }

  synchronized int detections() {
    return detections;
  }

  /** Whether any detection said the recording was not active (it should be for the whole run). */
  synchronized boolean recordingInactive() {
    return recordingInactive;
  }

  /** When the first frame was sent; -1 before. */
  synchronized long firstSent() {
    return firstSent;
  }
}
