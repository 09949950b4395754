package dev.snapreel.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import dev.snapreel.InvalidOptionException;
import dev.snapreel.StorageException;
import dev.snapreel.testkit.Azurite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to Azure, against Azurite; the shared contract is the kit's. */
class AzureBlobStorageTest {
  private static final String CONTAINER = "specific";
  private static final long BLOCK = AzureBlobStorage.MIN_BLOCK_SIZE;

  @TempDir
  static Path azuriteData;

  private static Azurite azurite;
  private static int prefixes;

  @TempDir
  Path dir;

  private AzureBlobStorage storage;
  private String prefix;

  @BeforeAll
  static void startAzurite() {
    azurite = Azurite.start(azuriteData);
  }

  @AfterAll
  static void stopAzurite() {
    azurite.close();
  }

  @BeforeEach
  void open() {
    prefix = "p" + (++prefixes);
    storage = builder().prefix(prefix).build();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static AzureBlobStorage.Builder builder() {
    return AzureBlobStorage.builder()
        .connectionString(azurite.connectionString())
        .container(CONTAINER)
        .blockSize(BLOCK)
        .createContainerIfMissing(true);
  }

  private static BlobContainerClient raw() {
    return new BlobServiceClientBuilder()
        .connectionString(azurite.connectionString())
        .buildClient()
        .getBlobContainerClient(CONTAINER);
  }

  @Test
  void largeFilesAreCommittedBlockByBlockWithTheirChecksums() throws Exception {
    byte[] content = random((int) (3 * BLOCK + 1000), 1);
    Path file = Files.write(dir.resolve("big.mp4"), content);

    storage.put("alice/s1/big.mp4", file);

    var blob = raw().getBlobClient(prefix + "/alice/s1/big.mp4");
    BlockList blocks = blob.getBlockBlobClient().listBlocks(BlockListType.ALL);
    assertThat(blocks.getCommittedBlocks())
        .extracting(b -> b.getSizeLong())
        .containsExactly(BLOCK, BLOCK, BLOCK, 1000L);
    assertThat(blocks.getUncommittedBlocks()).isEmpty();
    BlobProperties p = blob.getProperties();
    assertThat(p.getContentMd5())
        .as("the blob's Content-MD5 is the whole file's")
        .isEqualTo(MessageDigest.getInstance("MD5").digest(content));
    assertThat(p.getContentType()).isEqualTo("video/mp4");
    assertThat(storage.sha256("alice/s1/big.mp4")).contains(sha256(content));
    assertThat(storage.sha256("alice/s1/missing.mp4")).isEmpty();
  }

  @Test
  void smallFilesGoUpInOneRequestWithTheirMd5() throws Exception {
    byte[] content = random(1000, 2);
    storage.put("alice/s1/small.mp4", Files.write(dir.resolve("small.mp4"), content));
    storage.putBytes("alice/s1/small.json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    var blob = raw().getBlobClient(prefix + "/alice/s1/small.mp4");
    assertThat(blob.getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks())
        .as("a single Put Blob has no block list")
        .isEmpty();
    assertThat(blob.getProperties().getContentMd5())
        .isEqualTo(MessageDigest.getInstance("MD5").digest(content));
    assertThat(
            raw().getBlobClient(prefix + "/alice/s1/small.json").getProperties().getContentType())
        .isEqualTo("application/json");
  }

  @Test
  void objectUrlIsTheBlobUrlAndBlobsLiveUnderThePrefix() {
    storage.putBytes("alice/s1/v.json", new byte[] {1, 2, 3});

    assertThat(storage.provider()).isEqualTo("azure");
    assertThat(storage.objectUrl("alice/s1/v.json"))
        .contains(azurite.blobEndpoint() + "/" + CONTAINER + "/" + prefix + "/alice/s1/v.json");
    assertThat(raw().getBlobClient(prefix + "/alice/s1/v.json").getProperties().getBlobSize())
        .isEqualTo(3);
    assertThat(storage.container()).isEqualTo(CONTAINER);
  }

  @Test
  void foreignBlobsInTheContainerAreNotListed() {
    raw()
        .getBlobClient(prefix + "/alice/not a key.mp4")
        .upload(com.azure.core.util.BinaryData.fromString("x"));
    raw()
        .getBlobClient(prefix + "/alice/")
        .upload(com.azure.core.util.BinaryData.fromString("folder marker"));
    storage.putBytes("alice/s1/v.json", new byte[] {1});

    assertThat(storage.list("alice/")).extracting(o -> o.key()).containsExactly("alice/s1/v.json");
  }

  @Test
  void sasUrlsExpire() throws Exception {
    byte[] content = random(5000, 3);
    storage.put("alice/s1/v.mp4", Files.write(dir.resolve("v.mp4"), content));
    URI url = storage.presignedGet("alice/s1/v.mp4", Duration.ofSeconds(1)).orElseThrow();
    assertThat(url.getQuery()).contains("sig=").contains("sp=r");

    Thread.sleep(2500);

    HttpResponse<byte[]> late = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(late.statusCode()).as("expired").isEqualTo(403);
    assertThatThrownBy(() -> storage.presignedGet("alice/s1/v.mp4", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aConnectionStringWithoutAKeyOffersNoSasUrls() {
    String sasOnly =
        "BlobEndpoint=" + azurite.blobEndpoint() + ";SharedAccessSignature=sv=2020-08-04&sig=x";
    try (AzureBlobStorage noKey = AzureBlobStorage.builder()
        .connectionString(sasOnly)
        .container(CONTAINER)
        .build()) {
      assertThat(noKey.presignedGet("alice/s1/v.mp4", Duration.ofMinutes(1))).isEmpty();
    }
  }

  @Test
  void unreachableServiceSurfacesAsStorageExceptionNamingTheContainer() {
    String nowhere = azurite.connectionString().replace(":" + azurite.port() + "/", ":1/");
    try (AzureBlobStorage down = AzureBlobStorage.builder()
        .connectionString(nowhere)
        .container(CONTAINER)
        .maxTries(1)
        .build()) {
      assertThatThrownBy(() -> down.list(""))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("127.0.0.1:1/" + Azurite.ACCOUNT + "/" + CONTAINER);
      assertThatThrownBy(() -> down.stat("a/b.mp4")).isInstanceOf(StorageException.class);
    }
  }

  @Test
  void configuredFromEnvironment() {
    try (AzureBlobStorage fromEnv = AzureBlobStorage.fromEnvironment(Map.of(
        "AZURE_STORAGE_CONNECTION_STRING",
        azurite.connectionString(),
        "AZURE_STORAGE_CONTAINER",
        CONTAINER,
        "AZURE_STORAGE_PREFIX",
        "recordings"))) {
      assertThat(fromEnv.objectUrl("a/b/c.mp4"))
          .contains(azurite.blobEndpoint() + "/" + CONTAINER + "/recordings/a/b/c.mp4");
      fromEnv.putBytes("a/b/c.json", new byte[] {7});
      assertThat(raw().getBlobClient("recordings/a/b/c.json").exists()).isTrue();
    }
    assertThatThrownBy(
            () -> AzureBlobStorage.fromEnvironment(Map.of("AZURE_STORAGE_CONTAINER", CONTAINER)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
    assertThatThrownBy(() -> AzureBlobStorage.fromEnvironment(
            Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString())))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("AZURE_STORAGE_CONTAINER");
    assertThatThrownBy(() -> AzureBlobStorage.fromEnvironment(Map.of(
            "AZURE_STORAGE_CONNECTION_STRING",
            azurite.connectionString(),
            "AZURE_STORAGE_CONTAINER",
            "Bad_Name")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("AZURE_STORAGE_CONTAINER");
    assertThatThrownBy(() -> AzureBlobStorage.fromEnvironment(Map.of(
            "AZURE_STORAGE_CONNECTION_STRING",
            azurite.connectionString(),
            "AZURE_STORAGE_CONTAINER",
            CONTAINER,
            "AZURE_STORAGE_PREFIX",
            "a//b")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("AZURE_STORAGE_PREFIX");
    assertThatThrownBy(() -> AzureBlobStorage.fromEnvironment(Map.of(
            "AZURE_STORAGE_CONNECTION_STRING",
            "AccountName=x;Nonsense=1",
            "AZURE_STORAGE_CONTAINER",
            CONTAINER)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
    assertThatThrownBy(() -> AzureBlobStorage.fromEnvironment(Map.of(
            "AZURE_STORAGE_CONNECTION_STRING", "nonsense", "AZURE_STORAGE_CONTAINER", CONTAINER)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
  }

  @Test
  void builderValidatesWithNamedDefaults() {
    assertThat(AzureBlobStorage.DEFAULT_BLOCK_SIZE).isEqualTo(8L * 1024 * 1024);
    // Programming errors are IllegalArgumentException; fromEnvironment turns them into
    // InvalidOptionException naming the variable (above).
    assertThatThrownBy(() -> AzureBlobStorage.builder().blockSize(1024))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(InvalidOptionException.class);
    assertThatThrownBy(() -> AzureBlobStorage.builder().container("a--b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AzureBlobStorage.builder().prefix("../x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AzureBlobStorage.builder().maxTries(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AzureBlobStorage.builder().connectionString("nonsense"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AzureBlobStorage.builder().container(CONTAINER).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("connectionString");
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
