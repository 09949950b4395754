package dev.snapreel.examples.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FocusScoreTest {
  static final long SECOND = 1_000_000_000L;
  static final Detection CENTRED = new Detection(1, new FaceBox(0.4, 0.35, 0.2, 0.3), 320, 240);
  static final Detection OFF_CENTRE = new Detection(1, new FaceBox(0.0, 0.35, 0.2, 0.3), 320, 240);
  static final Detection ABSENT = new Detection(0, null, 320, 240);

  @Test
  void startsAtTheInitialScore() {
    FocusScore score = new FocusScore(70);
    assertThat(score.update(CENTRED, 5 * SECOND)).isEqualTo(70);
  }

  @Test
  void risesWhileCentredAndFallsWhileAwayOrAbsent() {
    FocusScore score = new FocusScore(50);
    score.update(CENTRED, 0);
    assertThat(score.update(CENTRED, SECOND)).isCloseTo(55, within(1e-9));
    assertThat(score.update(OFF_CENTRE, 2 * SECOND)).isCloseTo(52, within(1e-9));
    assertThat(score.update(ABSENT, 3 * SECOND)).isCloseTo(42, within(1e-9));
  }

  @Test
  void staysWithinZeroToHundredAndLongGapsCountAsOneSecond() {
    FocusScore score = new FocusScore(98);
    score.update(CENTRED, 0);
    assertThat(score.update(CENTRED, 60 * SECOND)).isEqualTo(100);
    FocusScore low = new FocusScore(5);
    low.update(ABSENT, 0);
    assertThat(low.update(ABSENT, 600 * SECOND)).isZero();
    assertThatThrownBy(() -> new FocusScore(101)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labelsAttention() {
    assertThat(FocusScore.attention(CENTRED)).isEqualTo("focused");
    assertThat(FocusScore.attention(OFF_CENTRE)).isEqualTo("distracted");
    assertThat(FocusScore.attention(ABSENT)).isEqualTo("absent");
    Detection tiny = new Detection(1, new FaceBox(0.48, 0.48, 0.03, 0.04), 320, 240);
    assertThat(tiny.present()).as("a face far away is not someone at the desk").isFalse();
  }
}
