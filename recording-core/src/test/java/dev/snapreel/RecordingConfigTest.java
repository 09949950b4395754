package dev.snapreel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingConfigTest {
  @Test
  void defaultsWithoutEnvironment() {
    RecordingConfig c = RecordingConfig.fromEnvironment(Map.of());

    assertThat(c.recordingsPath()).isEqualTo(Path.of("recordings"));
    assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(c.defaults()).isEqualTo(RecordingOptions.defaults());
  }

  @Test
  void readsTheSpecificationsVariables() {
    RecordingConfig c = RecordingConfig.fromEnvironment(Map.of(
        "RECORDINGS_PATH", "/var/lib/recordings",
        "RECORDING_RETENTION_DAYS", "30",
        "RECORDING_DEFAULT_FPS", "25",
        "RECORDING_DEFAULT_RESOLUTION", "1280x720",
        "RECORDING_DEFAULT_CODEC", "libopenh264"));

    assertThat(c.recordingsPath()).isEqualTo(Path.of("/var/lib/recordings"));
    assertThat(c.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(c.defaults())
        .isEqualTo(new RecordingOptions(25, new Resolution(1280, 720), "libopenh264", 95));
  }

  @Test
  void fractionalRetentionDaysAreAllowed() {
    assertThat(RecordingConfig.fromEnvironment(Map.of("RECORDING_RETENTION_DAYS", "0.5"))
            .retention())
        .isEqualTo(Duration.ofHours(12));
  }

  @Test
  void blankValuesFallBackToDefaults() {
    RecordingConfig c = RecordingConfig.fromEnvironment(
        Map.of("RECORDINGS_PATH", " ", "RECORDING_RETENTION_DAYS", ""));

    assertThat(c.recordingsPath()).isEqualTo(Path.of("recordings"));
    assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void retentionMustBeAPositiveNumberOfDays() {
    for (String days : new String[] {"0", "-1", "week", "NaN"}) {
      assertThatThrownBy(
              () -> RecordingConfig.fromEnvironment(Map.of("RECORDING_RETENTION_DAYS", days)))
          .as(days)
          .asInstanceOf(type(InvalidOptionException.class))
          .extracting(InvalidOptionException::field)
          .isEqualTo("retention_days");
    }
    assertThatThrownBy(
            () -> new RecordingConfig(Path.of("r"), RecordingOptions.defaults(), Duration.ZERO))
        .asInstanceOf(type(InvalidOptionException.class))
        .extracting(InvalidOptionException::field)
        .isEqualTo("retention_days");
  }

  @Test
  void invalidDefaultOptionsNameTheirField() {
    assertThatThrownBy(() -> RecordingConfig.fromEnvironment(Map.of("RECORDING_DEFAULT_FPS", "10")))
        .asInstanceOf(type(InvalidOptionException.class))
        .extracting(InvalidOptionException::field)
        .isEqualTo("fps");
  }

  @Test
  void aRetentionUnderOneHourIsRefusedUnlessExplicitlyAllowed() {
    assertThatThrownBy(
            () -> RecordingConfig.fromEnvironment(Map.of("RECORDING_RETENTION_DAYS", "0.01")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("under one hour")
        .hasMessageContaining("RECORDING_RETENTION_ALLOW_SHORT=true");
    assertThat(RecordingConfig.fromEnvironment(Map.of(
                "RECORDING_RETENTION_DAYS", "0.01", "RECORDING_RETENTION_ALLOW_SHORT", "true"))
            .retention())
        .isEqualTo(Duration.ofSeconds(864));
    assertThat(RecordingConfig.fromEnvironment(Map.of("RECORDING_RETENTION_DAYS", "0.05"))
            .retention())
        .isEqualTo(Duration.ofSeconds(4320)); // 72 min
  }
}
