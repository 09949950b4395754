package dev.snapreel.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A thin JDK HttpClient wrapper for the example API: method, path, token, optional JSON body. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;

  public ApiClient(URI base) {
    this.base = base;
  }

  /** A response, body kept as bytes. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public @Nullable String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  public Response get(String path, @Nullable String token, String... headers) {
    return send("GET", path, token, null, headers);
  }

  public Response post(String path, @Nullable String token) {
    return send("POST", path, token, null);
  }

  public Response post(String path, @Nullable String token, String jsonBody) {
    return send("POST", path, token, jsonBody, "Content-Type", "application/json");
  }

  public Response delete(String path, @Nullable String token) {
    return send("DELETE", path, token, null);
  }

  public Response send(
      String method,
      String path,
      @Nullable String token,
      @Nullable String body,
      String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60))
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a focus session as the specification's snippet does; returns its id. */
  public String createSession(String token) {
    Response r = post(
        "/api/focus/sessions",
        token,
        "{\"session_name\":\"Study Session\",\"subject\":\"Math\",\"initial_score\":100}");
    if (r.status() != 201) {
      throw new IllegalStateException("session not created: " + r.status() + " " + r.text());
    }
    return r.json().get("session_id").asText();
  }

  public HttpClient http() {
    return http;
  }
}
