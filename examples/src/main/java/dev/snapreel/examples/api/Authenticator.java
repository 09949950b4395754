package dev.snapreel.examples.api;

import static java.util.Objects.requireNonNull;

import dev.snapreel.examples.auth.TokenService;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Resolves the calling user from a bearer token; every endpoint calls it before anything else. */
final class Authenticator {
  private final TokenService tokens;

  Authenticator(TokenService tokens) {
    this.tokens = requireNonNull(tokens, "tokens");
  }

  TokenService tokens() {
    return tokens;
  }

  /** The user of the request's {@code Authorization: Bearer} access token, or a 401. */
  String user(Context ctx) {
    String token = bearer(ctx.header("Authorization"));
    if (token == null) {
      throw unauthorized(ctx, "missing bearer token: send Authorization: Bearer <token>");
    }
    return tokens
        .verifyAccess(token)
        .orElseThrow(() -> unauthorized(ctx, "invalid or expired token"));
  }

  /** The user of a WebSocket upgrade: browsers cannot set headers there, so the token is a query parameter. */
  TokenService.Access webSocketUser(Context ctx) {
    String token = ctx.queryParam("token");
    if (token == null) {
      token = bearer(ctx.header("Authorization"));
    }
    if (token == null) {
      throw unauthorized(ctx, "missing token: connect with ?token=<token>");
    }
    return tokens
        .verifyAccessToken(token)
        .orElseThrow(() -> unauthorized(ctx, "invalid or expired token"));
  }

  /**
   * The user allowed to download {@code recordingId}: from a bearer access token, or from a {@code
   * token} query parameter holding a download token issued for exactly this recording.
   */
  String downloadUser(Context ctx, String recordingId) {
    if (ctx.header("Authorization") != null) {
      return user(ctx);
    }
    String token = ctx.queryParam("token");
    if (token == null) {
      throw unauthorized(ctx, "missing bearer token or download token");
    }
    return tokens
        .verifyDownload(token, recordingId)
        .orElseThrow(() -> unauthorized(ctx, "invalid or expired download token"));
  }

  private static @Nullable String bearer(@Nullable String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() > 7 && h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      String token = h.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  private static HttpResponseException unauthorized(Context ctx, String message) {
    ctx.header("WWW-Authenticate", "Bearer");
    return new HttpResponseException(401, message, Map.of());
  }
}
