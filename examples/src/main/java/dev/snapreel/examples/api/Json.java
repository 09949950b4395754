package dev.snapreel.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.snapreel.metadata.RecordingMetadata;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;

/** JSON in and out: the metadata mapper (snake_case, ISO-8601 times), compact. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  static void send(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response not serializable", e);
    }
  }

  static String text(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("message not serializable", e);
    }
  }

  /** The request body as a JSON object; an empty body is an empty object. */
  static ObjectNode bodyObject(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw new HttpResponseException(400, "the request body is not valid JSON", Map.of());
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return MAPPER.createObjectNode();
    }
    if (!node.isObject()) {
      throw new HttpResponseException(400, "the request body must be a JSON object", Map.of());
    }
    return (ObjectNode) node;
  }

  /**
   * What a client may see of a recording's {@code error}: the library's plain summary (the text
   * before the first {@code ": "}, e.g. {@code storing failed, kept for retry}), never the detail
   * after it, which can carry a server path, a bucket name or an endpoint. The full text stays in the
   * stored metadata and the server log.
   */
  static String publicError(String error) {
    int colon = error.indexOf(": ");
    String summary = (colon < 0 ? error : error.substring(0, colon)).strip();
    // A summary that still looks like a location (no ": " in a raw exception text) is replaced.
    if (summary.isEmpty() || summary.length() > 80 || !summary.matches("[A-Za-z ,;()'-]+")) {
      return "recording failed";
    }
    return summary;
  }

  /**
   * A recording as the API shows it: the metadata fields of the specification's model (filepath is
   * the relative storage key, never a server path) plus its download path.
   */
  static ObjectNode recording(RecordingMetadata m) {
    ObjectNode node = MAPPER.valueToTree(m);
    if (m.error() != null) {
      node.put("error", publicError(m.error()));
    }
    node.put("download_url", "/api/recordings/" + m.recordingId() + "/download");
    return node;
  }
}
