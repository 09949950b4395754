package dev.snapreel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExampleHostTest {
  @Test
  void thePortComesFromTheBannersListeningLineOnly() {
    assertThat(ExampleHost.portFromBanner(
            "  listening on   http://localhost:42167/   (bound to 127.0.0.1)"))
        .isEqualTo(42167);
    assertThat(ExampleHost.portFromBanner("  camera page    http://localhost:42167/"))
        .isEqualTo(-1);
    assertThat(ExampleHost.portFromBanner("snapreel example server")).isEqualTo(-1);
  }

  @Test
  void relativeClasspathEntriesBecomeAbsolute() {
    String abs = Path.of("/opt/x.jar").toString();
    String cp = ExampleHost.absoluteClasspath(
        "benchmarks/target/benchmarks.jar" + File.pathSeparator + abs + File.pathSeparator);
    assertThat(cp.split(File.pathSeparator))
        .containsExactly(
            Path.of("benchmarks/target/benchmarks.jar").toAbsolutePath().toString(), abs);
  }
}
