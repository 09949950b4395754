package dev.snapreel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapreel.InvalidOptionException;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.azure.AzureBlobStorage;
import dev.snapreel.testkit.Azurite;
import dev.snapreel.testkit.VideoProbe;
import dev.snapreel.upload.UploadingStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example host in cloud mode ({@code ENABLE_CLOUD_STORAGE=true}, {@code
 * CLOUD_STORAGE_PROVIDER=azure}) against a real Azure Blob service (Azurite): a recording made over
 * the WebSocket is uploaded, its metadata names the blob, and its download redirects to a SAS URL
 * whose bytes are the recording and decode as the H.264 video the API describes.
 */
class CloudStorageModeTest {
  private static final String CONTAINER = "host-recordings";

  @TempDir
  static Path azuriteData;

  @TempDir
  static Path recordings;

  private static Azurite azurite;
  private static ExampleServer server;
  private static ApiClient api;
  private static String alice;
  private static Map<String, String> env;
  private static UploadingStorage storage;

  @BeforeAll
  static void start() {
    azurite = Azurite.start(azuriteData);
    AzureBlobStorage.builder()
        .connectionString(azurite.connectionString())
        .container(CONTAINER)
        .createContainerIfMissing(true)
        .build()
        .close();
    env = Map.of(
        "ENABLE_CLOUD_STORAGE", "true",
        "CLOUD_STORAGE_PROVIDER", "azure",
        "AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString(),
        "AZURE_STORAGE_CONTAINER", CONTAINER,
        "AZURE_STORAGE_PREFIX", "videos");
    ServerSettings settings =
        ExampleServerFlowTest.settings(recordings, ExampleServerFlowTest.SECRET);
    storage = (UploadingStorage) ExampleServer.createStorage(env, settings);
    server = ExampleServer.start(settings, storage);
    api = new ApiClient(server.baseUri());
    alice = server.tokens().issueAccess("alice", Duration.ofHours(1));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void recordingIsUploadedAndItsDownloadRedirectsToASasUrlThatPlays() throws Exception {
    String session = api.createSession(alice);
    ApiClient.Response started =
        api.post("/api/recordings/sessions/" + session + "/start?fps=30&resolution=640x480", alice);
    assertThat(started.status()).as(started.text()).isEqualTo(200);
    String recordingId = started.json().get("recording_id").asText();
    URI ws = URI.create("ws://localhost:" + server.port() + "/api/focus/ws/" + session
        + "?enable_recording=true&token=" + alice);
    try (FrameSocket socket = FrameSocket.connect(api.http(), ws)) {
      for (int i = 0; i < 6; i++) {
        socket.sendBinary(TestFrames.faceJpeg());
        assertThat(socket.next(ExampleServerFlowTest.REPLY).get("type").asText())
            .isEqualTo("detection");
        Thread.sleep(200);
      }
    }
    ApiClient.Response stopped = api.post("/api/recordings/sessions/" + session + "/stop", alice);
    assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);

    JsonNode meta = stopped.json();
    assertThat(storage.awaitUploads(Duration.ofSeconds(60))).as("uploaded").isTrue();
    String key = meta.get("filepath").asText();
    JsonNode published;
    try (AzureBlobStorage container = AzureBlobStorage.builder()
        .connectionString(azurite.connectionString())
        .container(CONTAINER)
        .prefix("videos")
        .build()) {
      published = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(container.getBytes(key.replace(".mp4", ".json")).orElseThrow());
    }
    assertThat(published.get("status").asText()).isEqualTo("completed");
    assertThat(published.get("cloud_storage_provider").asText()).isEqualTo("azure");
    assertThat(published.get("cloud_storage_url").asText())
        .isEqualTo(azurite.blobEndpoint() + "/" + CONTAINER + "/videos/" + key);
    ApiClient.Response shown = api.get("/api/recordings/" + recordingId, alice);
    assertThat(shown.status()).as(shown.text()).isEqualTo(200);
    assertThat(shown.json().get("status").asText()).isEqualTo("completed");
    assertThat(shown.json().get("cloud_storage_provider").asText())
        .as("the API, through the index, shows where the upload went")
        .isEqualTo("azure");
    assertThat(shown.json().get("cloud_storage_url").asText())
        .isEqualTo(published.get("cloud_storage_url").asText());

    ApiClient.Response download = api.get("/api/recordings/" + recordingId + "/download", alice);
    assertThat(download.status()).as("redirected to the blob store").isEqualTo(302);
    URI sas = URI.create(download.header("Location"));
    assertThat(sas.toString())
        .startsWith(azurite.blobEndpoint() + "/" + CONTAINER + "/videos/" + key + "?");
    assertThat(sas.getQuery()).contains("sig=").contains("sp=r");

    HttpClient plain = HttpClient.newHttpClient();
    HttpResponse<byte[]> fetched =
        plain.send(HttpRequest.newBuilder(sas).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.headers().firstValue("Content-Type")).contains("video/mp4");
    byte[] video = fetched.body();
    assertThat(video).hasSize(meta.get("file_size_bytes").asInt());
    assertThat(video)
        .as("the bytes recorded on this host")
        .isEqualTo(Files.readAllBytes(recordings.resolve(key)));
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(video)))
        .isEqualTo(meta.get("sha256").asText());
    Path downloaded = Files.write(recordings.resolveSibling("sas-" + recordingId + ".mp4"), video);
    VideoProbe probe = VideoProbe.of(downloaded);
    assertThat(probe.codec()).isEqualTo("h264");
    assertThat(probe.frameRate()).isCloseTo(30.0, within(0.01));
    assertThat(probe.width()).isEqualTo(640);
    assertThat(probe.decodedFrames()).isEqualTo(meta.get("frame_count").asLong());
    assertThat(probe.moovBeforeMdat())
        .as("plays progressively from the blob store")
        .isTrue();

    HttpResponse<byte[]> ranged = plain.send(
        HttpRequest.newBuilder(sas).header("Range", "bytes=100-199").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ranged.statusCode()).as("a <video> element seeks with ranges").isEqualTo(206);
    assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(video, 100, 200));

    ApiClient.Response deleted = api.delete("/api/recordings/" + recordingId, alice);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(plain
            .send(HttpRequest.newBuilder(sas).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode())
        .as("deleted from the blob store too")
        .isEqualTo(404);
  }

  @Test
  void providerIsChosenByName() {
    ServerSettings settings =
        ExampleServerFlowTest.settings(recordings, ExampleServerFlowTest.SECRET);
    try (StorageBackend azure = ExampleServer.createStorage(env, settings)) {
      assertThat(azure).isInstanceOf(UploadingStorage.class);
      assertThat(azure.toString())
          .contains("AzureBlobStorage[" + azurite.blobEndpoint() + "/" + CONTAINER + "/videos/]");
      assertThat(azure.provider()).isEqualTo("azure");
    }
    assertThatThrownBy(() -> ExampleServer.createStorage(
            Map.of("ENABLE_CLOUD_STORAGE", "true", "CLOUD_STORAGE_PROVIDER", "gcs"), settings))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("CLOUD_STORAGE_PROVIDER");
    assertThatThrownBy(
            () -> ExampleServer.createStorage(Map.of("ENABLE_CLOUD_STORAGE", "true"), settings))
        .as("s3 by default")
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("S3_BUCKET_NAME");
    assertThatThrownBy(() -> ExampleServer.createStorage(
            Map.of("ENABLE_CLOUD_STORAGE", "true", "CLOUD_STORAGE_PROVIDER", "azure"), settings))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
  }
}
