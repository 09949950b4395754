package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.EncoderException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4RemuxerTest {
  @TempDir
  Path dir;

  @Test
  void aFailedRemuxLeavesNoOutputBehind() throws Exception {
    Path input = Files.write(
        dir.resolve("broken.partial.mp4"), "not an mp4 at all".getBytes(StandardCharsets.US_ASCII));
    Path output = Files.write(
        dir.resolve("out.mp4"), new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p'}); // a stale attempt

    assertThatThrownBy(() -> Mp4Remuxer.remux(input, output)).isInstanceOf(EncoderException.class);

    assertThat(output).doesNotExist();
    assertThat(input).exists(); // the source is the caller's to keep
  }

  @Test
  void anOutputThatCannotBeCreatedFailsCleanly() throws Exception {
    Path input = Files.write(dir.resolve("broken.partial.mp4"), new byte[64]);
    Path output = dir.resolve("missing-dir").resolve("out.mp4");

    assertThatThrownBy(() -> Mp4Remuxer.remux(input, output)).isInstanceOf(EncoderException.class);

    assertThat(output).doesNotExist();
  }
}
