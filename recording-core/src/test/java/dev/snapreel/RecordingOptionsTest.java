package dev.snapreel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordingOptionsTest {
  private static final Resolution HD = new Resolution(1280, 720);

  @Test
  void defaultsAreThirtyFpsFullHdH264() {
    RecordingOptions d = RecordingOptions.defaults();

    assertThat(d.fps()).isEqualTo(30);
    assertThat(d.resolution()).isEqualTo(new Resolution(1920, 1080));
    assertThat(d.codec()).isEqualTo("h264");
    assertThat(d.quality()).isEqualTo(95);
  }

  @ParameterizedTest
  @ValueSource(doubles = {15, 29.97, 30, 60})
  void acceptsFrameRatesFromFifteenToSixty(double fps) {
    assertThat(new RecordingOptions(fps, HD, "h264", 90).fps()).isEqualTo(fps);
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {
        14.99,
        60.01,
        0,
        -30,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY
      })
  void refusesOtherFrameRatesNamingTheField(double fps) {
    assertThatThrownBy(() -> new RecordingOptions(fps, HD, "h264", 90))
        .asInstanceOf(type(InvalidOptionException.class))
        .satisfies(e -> assertThat(e.field()).isEqualTo("fps"))
        .satisfies(e -> assertThat(e.getMessage()).startsWith("fps: ").contains("15.0..60.0"));
  }

  @Test
  void normalisesTheCodecName() {
    assertThat(new RecordingOptions(30, HD, "  LibOpenH264 ", 90).codec()).isEqualTo("libopenh264");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "h.264",
        "h264; rm -rf",
        "../codec",
        "a-very-very-long-codec-name-indeed-yes"
      })
  void refusesMalformedCodecNames(String codec) {
    assertThatThrownBy(() -> new RecordingOptions(30, HD, codec, 90))
        .asInstanceOf(type(InvalidOptionException.class))
        .extracting(InvalidOptionException::field)
        .isEqualTo("codec");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101, Integer.MAX_VALUE})
  void refusesQualityOutsideOneToHundred(int quality) {
    assertThatThrownBy(() -> new RecordingOptions(30, HD, "h264", quality))
        .asInstanceOf(type(InvalidOptionException.class))
        .extracting(InvalidOptionException::field)
        .isEqualTo("quality");
  }

  @Test
  void withersChangeOneFieldAndValidate() {
    RecordingOptions o = RecordingOptions.defaults();

    assertThat(o.withFps(24)).isEqualTo(new RecordingOptions(24, o.resolution(), "h264", 95));
    assertThat(o.withResolution(HD).resolution()).isEqualTo(HD);
    assertThat(o.withCodec("mpeg4").codec()).isEqualTo("mpeg4");
    assertThat(o.withQuality(1).quality()).isEqualTo(1);
    assertThatThrownBy(() -> o.withFps(61)).isInstanceOf(InvalidOptionException.class);
  }

  @Test
  void environmentOverridesTheDefaults() {
    RecordingOptions o = RecordingOptions.fromEnvironment(Map.of(
        "RECORDING_DEFAULT_FPS", " 24 ",
        "RECORDING_DEFAULT_RESOLUTION", "1280x720",
        "RECORDING_DEFAULT_CODEC", "MPEG4",
        "RECORDING_DEFAULT_QUALITY", "80"));

    assertThat(o).isEqualTo(new RecordingOptions(24, HD, "mpeg4", 80));
  }

  @Test
  void missingOrBlankVariablesKeepTheDefaults() {
    assertThat(RecordingOptions.fromEnvironment(Map.of())).isEqualTo(RecordingOptions.defaults());
    assertThat(RecordingOptions.fromEnvironment(
            Map.of("RECORDING_DEFAULT_FPS", "", "RECORDING_DEFAULT_RESOLUTION", "  ")))
        .isEqualTo(RecordingOptions.defaults());
  }

  @Test
  void environmentErrorsNameTheirField() {
    assertField(Map.of("RECORDING_DEFAULT_FPS", "fast"), "fps", "'fast' is not a number");
    assertField(Map.of("RECORDING_DEFAULT_FPS", "NaN"), "fps", "not a number");
    assertField(Map.of("RECORDING_DEFAULT_FPS", "120"), "fps", "out of range");
    assertField(Map.of("RECORDING_DEFAULT_RESOLUTION", "hd"), "resolution", "WIDTHxHEIGHT");
    assertField(Map.of("RECORDING_DEFAULT_CODEC", "h 264"), "codec", "not a codec name");
    assertField(Map.of("RECORDING_DEFAULT_QUALITY", "high"), "quality", "not a number");
    assertField(Map.of("RECORDING_DEFAULT_QUALITY", "1e9"), "quality", "out of range");
    assertField(Map.of("RECORDING_DEFAULT_QUALITY", "80.5"), "quality", "whole number");
  }

  @Test
  void maxBitrateIsReadInBitsPerSecondWithOptionalSuffix() {
    assertThat(RecordingOptions.fromEnvironment(Map.of()).maxBitrate()).isZero();
    assertThat(RecordingOptions.fromEnvironment(Map.of("RECORDING_MAX_BITRATE", "800000"))
            .maxBitrate())
        .isEqualTo(800_000);
    assertThat(RecordingOptions.fromEnvironment(Map.of("RECORDING_MAX_BITRATE", "750k"))
            .maxBitrate())
        .isEqualTo(750_000);
    assertThat(RecordingOptions.fromEnvironment(Map.of("RECORDING_MAX_BITRATE", "1.5M"))
            .maxBitrate())
        .isEqualTo(1_500_000);
    assertThat(RecordingOptions.defaults()
            .withMaxBitrate(2_000_000)
            .withQuality(60)
            .maxBitrate())
        .as("kept by the other withers")
        .isEqualTo(2_000_000);
  }

  @Test
  void badMaxBitratesNameTheField() {
    assertField(Map.of("RECORDING_MAX_BITRATE", "fast"), "max_bitrate", "not a number");
    assertField(Map.of("RECORDING_MAX_BITRATE", "10k"), "max_bitrate", "out of range");
    assertField(Map.of("RECORDING_MAX_BITRATE", "-1M"), "max_bitrate", "not a bit rate");
  }

  private static void assertField(Map<String, String> env, String field, String message) {
    assertThatThrownBy(() -> RecordingOptions.fromEnvironment(env))
        .as("%s", env)
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining(message)
        .asInstanceOf(type(InvalidOptionException.class))
        .extracting(InvalidOptionException::field)
        .isEqualTo(field);
  }
}
