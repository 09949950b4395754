package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demo mode (no {@code JWT_SECRET}) hands out tokens to anyone, so it never listens beyond loopback. */
class DemoModeTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void withoutASecretTheDefaultHostIsLoopback() {
    assertThat(ServerSettings.fromEnvironment(Map.of()).host()).isEqualTo("127.0.0.1");
    assertThat(ServerSettings.fromEnvironment(Map.of("JWT_SECRET", SECRET)).host())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void aNetworkHostWithoutASecretRefusesToStartAndSaysWhy() {
    for (String host :
        List.of("0.0.0.0", "::", "192.0.2.7", "example.com", "127.0.0.1.example.com")) {
      assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("HOST", host)))
          .as(host)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("HOST=" + host)
          .hasMessageContaining("JWT_SECRET");
    }
    for (String host : List.of("127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3")) {
      assertThat(ServerSettings.fromEnvironment(Map.of("HOST", host)).demoTokens())
          .as(host)
          .isTrue();
    }
    assertThat(ServerSettings.fromEnvironment(Map.of("HOST", "0.0.0.0", "JWT_SECRET", SECRET))
            .host())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void theDemoServerListensOnLoopbackOnlyAndItsBannerSaysSo(@TempDir Path dir) throws IOException {
    ServerSettings settings =
        ServerSettings.fromEnvironment(Map.of("PORT", "0", "RECORDINGS_PATH", dir.toString()));
    try (ExampleServer server = ExampleServer.start(settings)) {
      ByteArrayOutputStream banner = new ByteArrayOutputStream();
      server.printBanner(new PrintStream(banner, true, StandardCharsets.UTF_8));
      assertThat(banner.toString(StandardCharsets.UTF_8))
          .contains("DEMO MODE")
          .contains("loopback (127.0.0.1) only")
          .contains("Set JWT_SECRET");
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2000);
        assertThat(s.isConnected()).isTrue();
      }
      List<InetAddress> external = externalAddresses();
      assertThat(external)
          .as("this test needs a non-loopback IPv4 address to probe")
          .isNotEmpty();
      for (InetAddress a : external) {
        assertThatThrownBy(() -> {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a, server.port()), 2000);
              }
            })
            .as("connecting via " + a)
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  private static List<InetAddress> externalAddresses() throws IOException {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .toList();
  }
}
