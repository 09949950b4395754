package dev.snapreel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResolutionTest {
  @ParameterizedTest
  @CsvSource({
    "1920x1080,1920,1080",
    "1280X720,1280,720",
    " 640x480 ,640,480",
    "1080x1920,1080,1920",
    "16x16,16,16",
    "3840x2160,3840,2160",
    "2160x3840,2160,3840"
  })
  void parsesWidthByHeight(String text, int width, int height) {
    Resolution r = Resolution.parse(text);

    assertThat(r.width()).isEqualTo(width);
    assertThat(r.height()).isEqualTo(height);
    assertThat(Resolution.parse(r.toString())).isEqualTo(r);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "hd",
        "1280",
        "1280x",
        "x720",
        "1280*720",
        "1280 x 720",
        "-1280x720",
        "1280x720x3",
        "1280.0x720",
        "123456x720"
      })
  void refusesTextThatIsNotWidthByHeight(String text) {
    assertThatThrownBy(() -> Resolution.parse(text))
        .asInstanceOf(type(InvalidOptionException.class))
        .satisfies(e -> assertThat(e.field()).isEqualTo("resolution"))
        .satisfies(e -> assertThat(e.getMessage()).contains("WIDTHxHEIGHT"));
  }

  @ParameterizedTest
  @CsvSource({
    "641,480,even",
    "640,481,even",
    "8,8,out of range",
    "14,720,out of range",
    "3842,16,out of range",
    "99999,720,out of range",
    "0,0,out of range",
    "-2,720,out of range",
    "3840,3840,exceeds 3840x2160"
  })
  void refusesOddTinyAndTooLargeSizes(int width, int height, String reason) {
    assertThatThrownBy(() -> new Resolution(width, height))
        .asInstanceOf(type(InvalidOptionException.class))
        .satisfies(e -> assertThat(e.field()).isEqualTo("resolution"))
        .satisfies(e -> assertThat(e.getMessage()).contains(reason));
  }

  @Test
  void parsingAnOutOfRangeSizeReportsTheRange() {
    assertThatThrownBy(() -> Resolution.parse("7680x4320"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("7680x4320 is out of range");
  }
}
