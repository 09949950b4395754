package dev.snapreel.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.snapreel.StorageException;
import java.io.IOException;

/**
 * The JSON form of {@link RecordingMetadata}: snake_case, ISO-8601 times, unknown fields ignored.
 *
 * @since 0.1.0
 */
public final class MetadataJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private MetadataJson() {}

  /** The same JSON on one line, e.g. for a database column ({@code recording-index-jdbc}). */
  public static String toCompactString(RecordingMetadata metadata) {
    try {
      return MAPPER
          .writer()
          .without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metadata is not serializable", e);
    }
  }

  public static byte[] toBytes(RecordingMetadata metadata) {
    try {
      return MAPPER.writeValueAsBytes(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metadata is not serializable", e);
    }
  }

  public static RecordingMetadata fromBytes(byte[] json) {
    try {
      return MAPPER.readValue(json, RecordingMetadata.class);
    } catch (IOException e) {
      throw new StorageException("unreadable recording metadata: " + e.getMessage(), e);
    }
  }
}
