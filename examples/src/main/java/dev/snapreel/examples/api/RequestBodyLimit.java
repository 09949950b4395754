package dev.snapreel.examples.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies above a limit with a 413 the client can actually read.
 *
 * <p>Javalin refuses an oversized body when a handler reads it, and Jetty then closes the
 * connection with the unread rest of the body in its receive buffer. The kernel answers that with a
 * reset, which may reach the client before it has read the 413: the client sees a dropped
 * connection instead of the error (about 1 request in 100 on loopback). So a body whose declared
 * length is over the limit but still moderate ({@link #DRAIN_LIMIT_BYTES}) is read and discarded
 * first; for a larger one the response says {@code Connection: close} and the client may see the
 * reset, which is the price of not reading megabytes nobody asked for.
 */
public final class RequestBodyLimit {
  /** Bodies up to this declared size are drained before the 413 is sent. */
  static final long DRAIN_LIMIT_BYTES = 4L * 1024 * 1024;

  private RequestBodyLimit() {}

  /** Sets Javalin's request size limit and refuses bodies above it before any handler runs. */
  public static void install(JavalinConfig config, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    config.http.maxRequestSize = maxBytes;
    config.routes.before(ctx -> refuseOversized(ctx, maxBytes));
  }

  private static void refuseOversized(Context ctx, long maxBytes) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared <= maxBytes) {
      return; // no body, a small one, or chunked (Javalin checks those while reading)
    }
    if (declared <= DRAIN_LIMIT_BYTES) {
      discard(ctx.req().getInputStream(), declared);
    } else {
      ctx.header("Connection", "close");
    }
    throw new ContentTooLargeResponse("request body exceeds " + maxBytes + " bytes");
  }

  private static void discard(InputStream in, long bytes) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long left = bytes;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        return;
      }
      left -= n;
    }
  }
}
