package dev.snapreel.examples.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  static final String SECRET = "unit-test-secret-unit-test-secret-0123";
  final TokenService tokens = TokenService.create(SECRET);

  @Test
  void accessTokenCarriesTheUserInSub() {
    String token = tokens.issueAccess("alice", Duration.ofMinutes(5));
    assertThat(tokens.verifyAccess(token)).contains("alice");
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("\"sub\":\"alice\"").contains("\"exp\":");
  }

  @Test
  void expiredTokensAreRejected() {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    String old = TokenService.create(SECRET, past).issueAccess("alice", Duration.ofHours(1));
    assertThat(tokens.verifyAccess(old)).isEmpty();
  }

  @Test
  void tokensSignedWithAnotherSecretOrAlteredAreRejected() {
    String foreign =
        TokenService.create(SECRET + "-other").issueAccess("alice", Duration.ofMinutes(5));
    assertThat(tokens.verifyAccess(foreign)).isEmpty();
    String token = tokens.issueAccess("alice", Duration.ofMinutes(5));
    assertThat(tokens.verifyAccess(token.substring(0, token.length() - 2) + "xx"))
        .isEmpty();
    assertThat(tokens.verifyAccess("")).isEmpty();
    assertThat(tokens.verifyAccess(null)).isEmpty();
    assertThat(tokens.verifyAccess("a.b.c")).isEmpty();
  }

  @Test
  void unsignedTokensAreRejected() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long exp = Instant.now().plusSeconds(600).getEpochSecond();
    String claims = b64.encodeToString(
        ("{\"sub\":\"alice\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
    for (String alg : new String[] {"none", "None", "NONE"}) {
      String header =
          b64.encodeToString(("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8));
      assertThat(tokens.verifyAccess(header + "." + claims + ".")).as(alg).isEmpty();
    }
  }

  @Test
  void downloadTokensAreBoundToOneRecordingAndAreNotAccessTokens() {
    String download = tokens.issueDownload("alice", "rec-1", Duration.ofMinutes(5));
    assertThat(tokens.verifyDownload(download, "rec-1")).contains("alice");
    assertThat(tokens.verifyDownload(download, "rec-2")).isEmpty();
    assertThat(tokens.verifyAccess(download)).isEmpty();
    String access = tokens.issueAccess("alice", Duration.ofMinutes(5));
    assertThat(tokens.verifyDownload(access, "rec-1")).isEmpty();
  }

  @Test
  void shortSecretsAndInvalidUsersAreRefused() {
    assertThatThrownBy(() -> TokenService.create("too-short"))
        .hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> tokens.issueAccess("../etc", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TokenService.randomSecret())
        .hasSizeGreaterThanOrEqualTo(TokenService.MIN_SECRET_BYTES);
  }
}
