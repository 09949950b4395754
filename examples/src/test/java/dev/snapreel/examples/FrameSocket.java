package dev.snapreel.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The focus WebSocket from the JDK client: send frames, read the JSON replies, see the close code. */
public final class FrameSocket implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WebSocket ws;
  private final BlockingQueue<JsonNode> messages;
  private final CompletableFuture<Integer> closeCode;

  private FrameSocket(
      WebSocket ws, BlockingQueue<JsonNode> messages, CompletableFuture<Integer> closeCode) {
    this.ws = ws;
    this.messages = messages;
    this.closeCode = closeCode;
  }

  /** Thrown when the server refuses the upgrade; carries the HTTP status. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int status;

    Refused(int status) {
      super("websocket upgrade refused with HTTP " + status);
      this.status = status;
    }
  }

  public static FrameSocket connect(HttpClient http, URI uri) {
    BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          try {
            messages.add(JSON.readTree(text.toString()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          text.setLength(0);
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(-1);
      }
    };
    try {
      WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, listener).get(15, TimeUnit.SECONDS);
      return new FrameSocket(ws, messages, closeCode);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        throw new Refused(h.getResponse().statusCode());
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  public void sendBinary(byte[] frame) {
    ws.sendBinary(ByteBuffer.wrap(frame), true).join();
  }

  public void sendText(String text) {
    ws.sendText(text, true).join();
  }

  /** The next JSON message, waiting up to {@code timeout}. */
  public JsonNode next(Duration timeout) {
    try {
      JsonNode n = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (n == null) {
        throw new AssertionError("no message within " + timeout
            + (closeCode.isDone() ? ", closed with " + closeCode.join() : ""));
      }
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The close code the server sent, waiting up to {@code timeout}. */
  public int closeCode(Duration timeout) {
    try {
      return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("connection not closed within " + timeout, e);
    }
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
          .orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
    ws.abort();
  }
}
