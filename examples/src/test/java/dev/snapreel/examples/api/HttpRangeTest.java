package dev.snapreel.examples.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.storage.ByteRange;
import org.junit.jupiter.api.Test;

class HttpRangeTest {
  @Test
  void parsesTheThreeSingleRangeForms() {
    assertThat(HttpRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 100));
    assertThat(HttpRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 100));
    assertThat(HttpRange.parse("bytes=-100", 1000)).contains(new ByteRange(900, 100));
  }

  @Test
  void clampsToTheResource() {
    assertThat(HttpRange.parse("bytes=990-5000", 1000)).contains(new ByteRange(990, 10));
    assertThat(HttpRange.parse("bytes=-5000", 1000)).contains(new ByteRange(0, 1000));
  }

  @Test
  void ignoresWhatItDoesNotServe() {
    assertThat(HttpRange.parse(null, 1000)).isEmpty();
    assertThat(HttpRange.parse("items=0-1", 1000)).isEmpty();
    assertThat(HttpRange.parse("bytes=0-1,5-6", 1000)).isEmpty();
    assertThat(HttpRange.parse("bytes=50-10", 1000)).isEmpty();
    assertThat(HttpRange.parse("bytes=-", 1000)).isEmpty();
  }

  @Test
  void rangesOutsideTheResourceAreUnsatisfiable() {
    assertThatThrownBy(() -> HttpRange.parse("bytes=1000-", 1000))
        .isInstanceOf(HttpRange.Unsatisfiable.class);
    assertThatThrownBy(() -> HttpRange.parse("bytes=-0", 1000))
        .isInstanceOf(HttpRange.Unsatisfiable.class);
  }
}
