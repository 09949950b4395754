package dev.snapreel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyTrackerTest {
  private static ReplyTracker.Reply detection(long frame, int queued) {
    return new ReplyTracker.Reply("detection", frame, 1, true, queued, 12.5);
  }

  @Test
  void repliesArePairedWithFramesInSendOrder() {
    ReplyTracker t = new ReplyTracker();
    t.sent(1_000);
    t.sent(2_000);
    t.replied(detection(1, 0), 1_500);
    t.sent(3_000);
    t.replied(detection(2, 1), 4_000);
    t.replied(detection(3, 0), 3_250);

    assertThat(t.latencies()).containsExactly(500, 2_000, 250);
    assertThat(t.processingNanos()).containsExactly(12_500_000, 12_500_000, 12_500_000);
    assertThat(t.unanswered()).isZero();
    assertThat(t.maxInFlight()).isEqualTo(2);
    assertThat(t.maxQueued()).isEqualTo(1);
    assertThat(t.misnumbered()).isZero();
    assertThat(t.errors()).isZero();
    assertThat(t.firstSent()).isEqualTo(1_000);
  }

  @Test
  void anErrorReplyAnswersItsFrameWithoutShiftingTheNumbering() {
    ReplyTracker t = new ReplyTracker();
    for (int i = 0; i < 3; i++) {
      t.sent(i * 1_000L);
    }
    t.replied(detection(1, 0), 100);
    t.replied(new ReplyTracker.Reply("error", -1, 0, false, -1, -1), 1_100);
    t.replied(
        detection(2, 0), 2_100); // the host numbers analysed frames; the error was not analysed
    assertThat(t.latencies()).containsExactly(100, 100, 100);
    assertThat(t.errors()).isEqualTo(1);
    assertThat(t.misnumbered()).isZero();
    assertThat(t.detections()).isEqualTo(2);
    assertThat(t.processingNanos()).hasSize(2); // errors carry no handler time
  }

  @Test
  void aLostReplyShowsAsMisnumberedAndUnanswered() {
    ReplyTracker t = new ReplyTracker();
    t.sent(0);
    t.sent(200);
    t.replied(detection(2, 0), 300); // reply to frame 1 never came
    assertThat(t.misnumbered()).isEqualTo(1);
    assertThat(t.unanswered()).isEqualTo(1);
  }

  @Test
  void aReplyToNothingIsCountedNotPaired() {
    ReplyTracker t = new ReplyTracker();
    t.replied(detection(1, 0), 10);
    assertThat(t.errors()).isEqualTo(1);
    assertThat(t.latencies()).isEmpty();
    t.replied(new ReplyTracker.Reply("pong", -1, 0, false, -1, -1), 20); // not an answer to a frame
    assertThat(t.errors()).isEqualTo(1);
  }

  @Test
  void manyFramesGrowTheBuffersAndTrackTheBacklog() {
    ReplyTracker t = new ReplyTracker();
    for (int i = 0; i < 1000; i++) {
      t.sent(i);
    }
    for (int i = 0; i < 1000; i++) {
      t.replied(detection(i + 1, i / 100), 1000 + i);
    }
    assertThat(t.maxInFlight()).isEqualTo(1000);
    assertThat(t.latencies()).hasSize(1000).containsOnly(1000L);
    assertThat(t.maxQueued()).isEqualTo(9);
  }

  @Test
  void parsesTheHostsDetectionAndErrorReplies() {
    ReplyTracker.Reply d =
        ReplyTracker.Reply.parse("{\"type\":\"detection\",\"session_id\":\"s\",\"frame_number\":7,"
            + "\"timestamp\":\"2026-11-25T10:00:00Z\",\"faces_detected\":1,\"face\":{\"x\":0.4,\"y\":0.3,\"width\":0.2,"
            + "\"height\":0.3},\"present\":true,\"centered\":true,\"attention\":\"focused\",\"focus_score\":99.5,"
            + "\"recording\":{\"enabled\":true,\"active\":true,\"recording_id\":\"r\",\"frames_received\":7,"
            + "\"frames_written\":30,\"frames_duplicated\":24,\"frames_dropped\":2,\"frames_rejected\":0,\"queued\":1},"
            + "\"processing_ms\":21.5}");
    assertThat(d).isEqualTo(new ReplyTracker.Reply("detection", 7, 1, true, 1, 21.5));
    assertThat(d.isError()).isFalse();

    ReplyTracker.Reply e = ReplyTracker.Reply.parse(
        "{\"type\":\"error\",\"status\":422,\"error\":\"invalid_frame\",\"message\":\"x\",\"recording\":{\"enabled\":true,\"active\":false}}");
    assertThat(e.isError()).isTrue();
    assertThat(e.answersFrame()).isTrue();
    assertThat(e.queued()).isEqualTo(-1);
    assertThat(ReplyTracker.Reply.parse("{\"type\":\"session_ended\",\"session_id\":\"s\"}")
            .isError())
        .isTrue();
  }
}
