package dev.snapreel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRankOfOneToAHundred() {
    long[] shuffled =
        LongStream.rangeClosed(1, 100).map(i -> (i * 37) % 100 + 1).toArray();
    Percentiles p = Percentiles.of(shuffled);
    assertThat(p.count()).isEqualTo(100);
    assertThat(p.nanos(0.5)).isEqualTo(50);
    assertThat(p.nanos(0.99)).isEqualTo(99); // not the maximum: 99 of 100 values are at or below 99
    assertThat(p.nanos(1.0)).isEqualTo(100);
    assertThat(p.nanos(0.001)).isEqualTo(1);
  }

  @Test
  void p99OfFewValuesIsTheirMaximum() {
    Percentiles p = Percentiles.of(new long[] {30_000_000, 10_000_000, 20_000_000});
    assertThat(p.millis(0.99)).isEqualTo(30.0);
    assertThat(p.millis(0.5)).isEqualTo(20.0);
    assertThat(p.maxMillis()).isEqualTo(30.0);
  }

  @Test
  void oneSlowReplyInAThousandStaysOutOfP99ButNotTenOfThem() {
    long[] one = LongStream.range(0, 1000)
        .map(i -> i == 500 ? 900_000_000L : 20_000_000L)
        .toArray();
    assertThat(Percentiles.of(one).millis(0.99)).isEqualTo(20.0);
    assertThat(Percentiles.of(one).maxMillis()).isEqualTo(900.0);
    long[] eleven = LongStream.range(0, 1000)
        .map(i -> i % 90 == 0 ? 900_000_000L : 20_000_000L)
        .toArray();
    assertThat(Percentiles.of(eleven).millis(0.99)).isEqualTo(900.0);
  }

  @Test
  void theInputIsNotReordered() {
    long[] input = {3, 1, 2};
    Percentiles.of(input);
    assertThat(input).containsExactly(3, 1, 2);
  }

  @Test
  void emptyIsZeroAndBadPercentilesAreRefused() {
    assertThat(Percentiles.of(new long[0]).nanos(0.99)).isZero();
    assertThat(Percentiles.of(new long[0]).maxMillis()).isZero();
    assertThatThrownBy(() -> Percentiles.of(new long[] {1}).nanos(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Percentiles.of(new long[] {1}).nanos(99))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
