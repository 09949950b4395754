package dev.snapreel.examples.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.snapreel.storage.StorageKeys;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Issues and verifies HS256 JWTs. The user id is the {@code sub} claim; {@code exp} is required and
 * enforced; any other algorithm, including {@code alg: none}, is rejected.
 *
 * <p>Two kinds of token: access tokens (any token without a {@code purpose} claim, e.g. issued by
 * the host's identity provider with the shared {@code JWT_SECRET}) and download tokens ({@code
 * purpose: download}, bound to one recording by {@code rid}) that may travel in a URL because a
 * {@code <video>} element cannot send an {@code Authorization} header.
 */
public final class TokenService {
  /** HS256 needs a key of at least 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  private static final String PURPOSE = "purpose";
  private static final String DOWNLOAD = "download";
  private static final String RECORDING = "rid";

  private final byte[] secret;
  private final Clock clock;
  private final DefaultJWTProcessor<SecurityContext> processor;

  private TokenService(byte[] secret, Clock clock) {
    this.secret = secret.clone();
    this.clock = clock;
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    // Only HS256 with our key: alg none, RS*/ES* (key confusion) and HS384/512 all fail selection.
    p.setJWSKeySelector(
        new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(this.secret)));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp")) {
          @Override
          protected Date currentTime() {
            return Date.from(TokenService.this.clock.instant());
          }
        };
    claims.setMaxClockSkew(30);
    p.setJWTClaimsSetVerifier(claims);
    this.processor = p;
  }

  /** A service signing and verifying with {@code secret} (UTF-8 bytes, at least 32). */
  public static TokenService create(String secret) {
    return create(secret, Clock.systemUTC());
  }

  public static TokenService create(String secret, Clock clock) {
    requireNonNull(secret, "secret");
    requireNonNull(clock, "clock");
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("JWT_SECRET must be at least " + MIN_SECRET_BYTES
          + " bytes for HS256, was " + bytes.length);
    }
    return new TokenService(bytes, clock);
  }

  /** A fresh random secret, for the demo configuration when none is supplied. */
  public static String randomSecret() {
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** An access token for {@code userId}, valid for {@code ttl}. */
  public String issueAccess(String userId, Duration ttl) {
    return sign(claims(userId, ttl).build());
  }

  /** A token that only allows downloading {@code recordingId} of {@code userId}, for {@code ttl}. */
  public String issueDownload(String userId, String recordingId, Duration ttl) {
    requireNonNull(recordingId, "recordingId");
    return sign(claims(userId, ttl)
        .claim(PURPOSE, DOWNLOAD)
        .claim(RECORDING, recordingId)
        .build());
  }

  /** The user id of a valid access token; empty for anything else (bad signature, expired, download token...). */
  public Optional<String> verifyAccess(@Nullable String token) {
    return verify(token)
        .filter(c -> c.getClaim(PURPOSE) == null)
        .map(JWTClaimsSet::getSubject)
        .filter(StorageKeys::isSegment);
  }

  /** A verified access token: whose it is and until when it is valid. */
  public record Access(String userId, Instant expiresAt) {
    public Access {
      requireNonNull(userId, "userId");
      requireNonNull(expiresAt, "expiresAt");
    }
  }

  /**
   * Like {@link #verifyAccess} with the token's {@code exp}, for connections that outlive the
   * request that opened them (a WebSocket is closed when its token expires).
   */
  public Optional<Access> verifyAccessToken(@Nullable String token) {
    return verify(token)
        .filter(c -> c.getClaim(PURPOSE) == null && c.getExpirationTime() != null)
        .filter(c -> c.getSubject() != null && StorageKeys.isSegment(c.getSubject()))
        .map(c -> new Access(c.getSubject(), c.getExpirationTime().toInstant()));
  }

  /** The clock tokens are issued and checked with. */
  public Clock clock() {
    return clock;
  }

  /** The user id of a valid download token for exactly {@code recordingId}; empty otherwise. */
  public Optional<String> verifyDownload(@Nullable String token, String recordingId) {
    return verify(token)
        .filter(
            c -> DOWNLOAD.equals(c.getClaim(PURPOSE)) && recordingId.equals(c.getClaim(RECORDING)))
        .map(JWTClaimsSet::getSubject)
        .filter(StorageKeys::isSegment);
  }

  private Optional<JWTClaimsSet> verify(@Nullable String token) {
    if (token == null || token.isBlank() || token.length() > 8192) {
      return Optional.empty();
    }
    try {
      return Optional.of(processor.process(token, null));
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
  }

  private JWTClaimsSet.Builder claims(String userId, Duration ttl) {
    requireNonNull(userId, "userId");
    requireNonNull(ttl, "ttl");
    if (!StorageKeys.isSegment(userId)) {
      throw new IllegalArgumentException("'" + userId + "' is not a valid user id");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .subject(userId)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)));
  }

  private String sign(JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }
}
