package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {
  @Test
  void defaultsAreTheDemo() {
    ServerSettings s = ServerSettings.fromEnvironment(Map.of());
    assertThat(s.port()).isEqualTo(8000);
    assertThat(s.jwtSecret()).isNull();
    assertThat(s.demoTokens()).isTrue();
    assertThat(s.recording().recordingsPath()).isEqualTo(Path.of("recordings"));
    assertThat(s.maxFrameBytes()).isEqualTo(ServerSettings.DEFAULT_MAX_FRAME_BYTES);
  }

  @Test
  void aSuppliedSecretTurnsTheDemoTokenEndpointOff() {
    ServerSettings s = ServerSettings.fromEnvironment(Map.of(
        "JWT_SECRET",
        "0123456789abcdef0123456789abcdef",
        "PORT",
        "9001",
        "RECORDINGS_PATH",
        "/data/rec",
        "RECORDING_DEFAULT_FPS",
        "25",
        "MAX_FRAME_BYTES",
        "100000"));
    assertThat(s.demoTokens()).isFalse();
    assertThat(s.port()).isEqualTo(9001);
    assertThat(s.recording().recordingsPath()).isEqualTo(Path.of("/data/rec"));
    assertThat(s.recording().defaults().fps()).isEqualTo(25);
    assertThat(s.maxFrameBytes()).isEqualTo(100000);
  }

  @Test
  void recordingMaxBitrateCapsEveryRecordingByDefault() {
    assertThat(ServerSettings.fromEnvironment(Map.of()).recording().defaults().maxBitrate())
        .isZero();
    ServerSettings s = ServerSettings.fromEnvironment(Map.of("RECORDING_MAX_BITRATE", "1.5M"));
    assertThat(s.recording().defaults().maxBitrate()).isEqualTo(1_500_000);
    assertThat(s.recording().defaults().withQuality(80).maxBitrate())
        .as("kept when a request sets quality")
        .isEqualTo(1_500_000);
  }

  @Test
  void badValuesFailAtStartupWithTheVariableName() {
    assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("JWT_SECRET", "short")))
        .hasMessageContaining("JWT_SECRET");
    assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("PORT", "eighty")))
        .hasMessageContaining("PORT");
  }
}
