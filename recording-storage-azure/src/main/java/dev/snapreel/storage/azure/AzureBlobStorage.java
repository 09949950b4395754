package dev.snapreel.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.snapreel.InvalidOptionException;
import dev.snapreel.StorageException;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.RangeNotSatisfiableException;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StorageKeys;
import dev.snapreel.storage.StoredObject;
import dev.snapreel.storage.azure.internal.BlockDigests;
import dev.snapreel.upload.RemoteChecksums;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Recordings in an Azure Blob Storage container (or Azurite), on the Azure Storage Blob SDK for Java
 * with the JDK's own HTTP client (no Netty). Keys are the storage keys, under an optional {@link
 * Builder#prefix(String) prefix}; metadata JSON lives beside each video exactly as on local disk, so
 * the container alone is the source of truth.
 *
 * <ul>
 *   <li>{@link #put} writes a block blob from the file: one {@code Put Blob} up to {@link
 *       Builder#blockSize(long)}, above it one {@code Put Block} per block read from the file (never
 *       the whole file in memory) and a {@code Put Block List} that commits them at once, so readers
 *       see all of the new content or none. Every request carries the {@code Content-MD5} of its
 *       bytes, which the service verifies; the blob's own {@code Content-MD5} and its SHA-256 (user
 *       metadata {@code sha256}, {@link #sha256(String)}) describe the whole file. Blocks of an
 *       upload that failed are never committed; the service discards them after a week.
 *   <li>{@link #open} reads byte ranges; {@link #presignedGet} returns SAS URLs: a service SAS signed
 *       with the account key of a connection string, or a user delegation SAS when the client
 *       authenticates with a {@link TokenCredential} (Microsoft Entra ID).
 *   <li>{@link #objectUrl} is the blob's URL ({@code https://account.blob.core.windows.net/c/key}).
 * </ul>
 *
 * <p>The container must exist unless {@link Builder#createContainerIfMissing(boolean)}. Thread-safe.
 *
 * @since 0.1.0
 */
public final class AzureBlobStorage implements StorageBackend, RemoteChecksums {
  /** Default size of a staged block, and the largest file stored in one request: 8 MiB. */
  public static final long DEFAULT_BLOCK_SIZE = 8L * 1024 * 1024;
  /** The smallest block size accepted by the builder: 64 KiB. */
  public static final long MIN_BLOCK_SIZE = 64L * 1024;
  /** The largest block the service accepts: 4000 MiB. */
  public static final long MAX_BLOCK_SIZE = 4000L * 1024 * 1024;
  /** The most blocks one block blob can have. */
  public static final int MAX_BLOCKS = 50_000;
  /** Default number of tries per request (the first and two retries). */
  public static final int DEFAULT_MAX_TRIES = 3;
  /** Default time one try of one request may take. */
  public static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofSeconds(60);

  private static final String SHA256_METADATA = "sha256";
  /** A user delegation key is reused until this close to its expiry. */
  private static final Duration DELEGATION_KEY_MARGIN = Duration.ofMinutes(5);

  private static final Duration DELEGATION_KEY_LIFETIME = Duration.ofDays(1);

  private final BlobServiceClient service;
  private final BlobContainerClient container;
  private final String prefix;
  private final long blockSize;
  private final SasMode sasMode;
  private final Object delegationLock = new Object();
  private @Nullable UserDelegationKey delegationKey;

  private enum SasMode {
    ACCOUNT_KEY,
    USER_DELEGATION,
    NONE
  }

  private AzureBlobStorage(
      Builder b, BlobServiceClient service, SasMode sasMode, String containerName) {
    this.service = service;
    this.container = service.getBlobContainerClient(containerName);
    this.prefix = b.prefix;
    this.blockSize = b.blockSize;
    this.sasMode = sasMode;
    if (b.createContainerIfMissing) {
      try {
        container.createIfNotExists();
      } catch (RuntimeException e) {
        throw new StorageException(
            "cannot create container " + container.getBlobContainerUrl() + ": " + e.getMessage(),
            e);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configured from the environment: {@code AZURE_STORAGE_CONNECTION_STRING} and {@code
   * AZURE_STORAGE_CONTAINER} (required), {@code AZURE_STORAGE_PREFIX} (optional blob name prefix).
   */
  public static AzureBlobStorage fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** {@link #fromEnvironment()} from the given variables. */
  public static AzureBlobStorage fromEnvironment(Map<String, String> env) {
    String connection = env.get("AZURE_STORAGE_CONNECTION_STRING");
    if (connection == null || connection.isBlank()) {
      throw new InvalidOptionException(
          "AZURE_STORAGE_CONNECTION_STRING", "is required when cloud storage is Azure");
    }
    String containerName = env.get("AZURE_STORAGE_CONTAINER");
    if (containerName == null || containerName.isBlank()) {
      throw new InvalidOptionException(
          "AZURE_STORAGE_CONTAINER", "is required when cloud storage is Azure");
    }
    Builder b = builder();
    fromVariable("AZURE_STORAGE_CONNECTION_STRING", () -> b.connectionString(connection.trim()));
    fromVariable("AZURE_STORAGE_CONTAINER", () -> b.container(containerName.trim()));
    String keyPrefix = env.get("AZURE_STORAGE_PREFIX");
    if (keyPrefix != null && !keyPrefix.isBlank()) {
      fromVariable("AZURE_STORAGE_PREFIX", () -> b.prefix(keyPrefix.trim()));
    }
    // The SDK parses the connection string when the client is built.
    return fromVariable("AZURE_STORAGE_CONNECTION_STRING", b::build);
  }

  /** A setting read from an environment variable is user input: its errors name the variable. */
  private static <T> T fromVariable(String variable, java.util.function.Supplier<T> apply) {
    try {
      return apply.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(variable, String.valueOf(e.getMessage()));
    }
  }

  /** The container's name. */
  public String container() {
    return container.getBlobContainerName();
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public void put(String key, Path source) {
    BlockBlobClient blob = blob(key).getBlockBlobClient();
    try {
      long size = Files.size(source);
      BlockDigests digests = BlockDigests.of(source, blockSize);
      if (digests.blockCount() > MAX_BLOCKS) {
        throw new StorageException("cannot store " + key + ": " + size + " bytes need "
            + digests.blockCount() + " blocks of " + blockSize + " bytes, more than Azure's "
            + MAX_BLOCKS + "; raise blockSize");
      }
      BlobHttpHeaders headers = headers(key).setContentMd5(digests.md5());
      Map<String, String> metadata = Map.of(SHA256_METADATA, digests.sha256Hex());
      if (size <= blockSize) {
        blob.uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromFile(source, 0L, size))
                .setContentMd5(digests.blockMd5(0))
                .setHeaders(headers)
                .setMetadata(metadata),
            null,
            Context.NONE);
        return;
      }
      // Block ids must all have the same length; a fresh upload id keeps two uploads' blocks apart.
      String upload = UUID.randomUUID().toString();
      List<String> ids = new ArrayList<>(digests.blockCount());
      for (int i = 0; i < digests.blockCount(); i++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new StorageException("interrupted while storing " + key);
        }
        long offset = i * blockSize;
        long length = Math.min(blockSize, size - offset);
        String id = blockId(upload, i);
        blob.stageBlockWithResponse(
            new BlockBlobStageBlockOptions(id, BinaryData.fromFile(source, offset, length))
                .setContentMd5(digests.blockMd5(i)),
            null,
            Context.NONE);
        ids.add(id);
      }
      blob.commitBlockListWithResponse(
          new BlockBlobCommitBlockListOptions(ids).setHeaders(headers).setMetadata(metadata),
          null,
          Context.NONE);
    } catch (IOException e) {
      throw new StorageException("cannot read " + source + " to store " + key + ": " + e, e);
    } catch (StorageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure("store", key, e);
    }
  }

  @Override
  public void putBytes(String key, byte[] content) {
    BlockBlobClient blob = blob(key).getBlockBlobClient();
    byte[] md5 = BlockDigests.md5(content);
    try {
      blob.uploadWithResponse(
          new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
              .setContentMd5(md5)
              .setHeaders(headers(key).setContentMd5(md5)),
          null,
          Context.NONE);
    } catch (RuntimeException e) {
      throw failure("store", key, e);
    }
  }

  @Override
  public Optional<byte[]> getBytes(String key) {
    BlobClient blob = blob(key);
    try {
      return Optional.of(blob.downloadContent().toBytes());
    } catch (BlobStorageException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw failure("read", key, e);
    } catch (RuntimeException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    return properties(key)
        .map(p -> new StoredObject(key, p.getBlobSize(), p.getLastModified().toInstant()));
  }

  /** The SHA-256 recorded when the blob was stored by {@link #put}; empty if absent or unknown. */
  @Override
  public Optional<String> sha256(String key) {
    return properties(key)
        .flatMap(p -> Optional.ofNullable(p.getMetadata()).map(m -> m.get(SHA256_METADATA)));
  }

  private Optional<BlobProperties> properties(String key) {
    BlobClient blob = blob(key);
    try {
      return Optional.of(blob.getProperties());
    } catch (BlobStorageException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw failure("stat", key, e);
    } catch (RuntimeException e) {
      throw failure("stat", key, e);
    }
  }

  @Override
  public InputStream open(String key, ByteRange range) {
    BlobClient blob = blob(key);
    BlobProperties p = properties(key).orElseThrow(() -> new StorageException("no object " + key));
    long size = p.getBlobSize();
    if (range.length() > 0 && range.offset() >= size) {
      throw new RangeNotSatisfiableException(key, range, size);
    }
    long start = range.offset();
    long length = Math.min(range.length(), size - start);
    if (length == 0) {
      return new ByteArrayInputStream(new byte[0]);
    }
    try {
      // Pinned to the ETag just read: a blob replaced while it is being read fails the read
      // instead of mixing two versions.
      return blob.openInputStream(new BlobInputStreamOptions()
          .setRange(new BlobRange(start, length))
          .setRequestConditions(new BlobRequestConditions().setIfMatch(p.getETag()))
          .setBlockSize((int) Math.min(4L * 1024 * 1024, length)));
    } catch (BlobStorageException e) {
      if (isNotFound(e)) {
        throw new StorageException("no object " + key, e);
      }
      throw failure("read", key, e);
    } catch (RuntimeException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public List<StoredObject> list(String keyPrefix) {
    StorageKeys.requireValidPrefix(keyPrefix);
    List<StoredObject> out = new ArrayList<>();
    try {
      for (BlobItem item :
          container.listBlobs(new ListBlobsOptions().setPrefix(prefix + keyPrefix), null)) {
        if (Boolean.TRUE.equals(item.isPrefix()) || item.isDeleted()) {
          continue;
        }
        String key = item.getName().substring(prefix.length());
        if (StorageKeys.isValid(key)) { // a foreign blob in the container is not ours
          out.add(new StoredObject(
              key,
              item.getProperties().getContentLength(),
              item.getProperties().getLastModified().toInstant()));
        }
      }
    } catch (RuntimeException e) {
      throw failure("list", keyPrefix.isEmpty() ? "the container" : keyPrefix, e);
    }
    return out;
  }

  @Override
  public boolean delete(String key) {
    BlobClient blob = blob(key);
    try {
      return blob.deleteIfExistsWithResponse(
              DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE)
          .getValue();
    } catch (RuntimeException e) {
      throw failure("delete", key, e);
    }
  }

  /**
   * A read-only SAS URL for the blob, valid for {@code ttl} (the blob need not exist yet): signed
   * with the account key when built from a connection string with one, a user delegation SAS when
   * built with a {@link TokenCredential}; empty otherwise (e.g. a connection string with only a SAS).
   */
  @Override
  public Optional<URI> presignedGet(String key, Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    BlobClient blob = blob(key);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(
            now.plus(ttl), new BlobSasPermission().setReadPermission(true))
        .setStartTime(now.minusMinutes(5)); // tolerate clock skew between host and service
    try {
      String sas =
          switch (sasMode) {
            case ACCOUNT_KEY -> blob.generateSas(values);
            case USER_DELEGATION ->
              blob.generateUserDelegationSas(values, delegationKey(now.plus(ttl)));
            case NONE -> null;
          };
      return sas == null ? Optional.empty() : Optional.of(URI.create(blobUrl(key) + "?" + sas));
    } catch (RuntimeException e) {
      throw new StorageException("cannot sign a URL for " + key + ": " + e.getMessage(), e);
    }
  }

  private UserDelegationKey delegationKey(OffsetDateTime neededUntil) {
    synchronized (delegationLock) {
      UserDelegationKey current = delegationKey;
      if (current != null
          && current.getSignedExpiry().minus(DELEGATION_KEY_MARGIN).isAfter(neededUntil)) {
        return current;
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      OffsetDateTime expiry = now.plus(DELEGATION_KEY_LIFETIME);
      if (expiry.isBefore(neededUntil)) {
        expiry = neededUntil.plus(DELEGATION_KEY_MARGIN);
      }
      UserDelegationKey fresh = service.getUserDelegationKey(now.minusMinutes(5), expiry);
      delegationKey = fresh;
      return fresh;
    }
  }

  /** The blob's URL, e.g. {@code https://account.blob.core.windows.net/container/prefix/key}. */
  @Override
  public Optional<String> objectUrl(String key) {
    return Optional.of(blobUrl(key));
  }

  /** The container URL plus the blob name with its slashes as they are (the SDK would escape them). */
  private String blobUrl(String key) {
    // Storage keys hold only letters, digits and . _ @ - besides '/': nothing else to escape.
    return container.getBlobContainerUrl() + "/" + prefix + StorageKeys.requireValid(key);
  }

  @Override
  public String toString() {
    return "AzureBlobStorage[" + container.getBlobContainerUrl() + "/" + prefix + "]";
  }

  private BlobClient blob(String key) {
    return container.getBlobClient(prefix + StorageKeys.requireValid(key));
  }

  private static BlobHttpHeaders headers(String key) {
    String type;
    if (key.endsWith(".mp4")) {
      type = "video/mp4";
    } else if (key.endsWith(".json")) {
      type = "application/json";
    } else {
      type = "application/octet-stream";
    }
    return new BlobHttpHeaders().setContentType(type);
  }

  private static String blockId(String upload, int index) {
    String id = upload + "-" + String.format("%06d", index);
    return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean isNotFound(BlobStorageException e) {
    return e.getStatusCode() == 404
        || BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())
        || BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode());
  }

  private StorageException failure(String action, String key, RuntimeException e) {
    String reason = e instanceof BlobStorageException bse
        ? bse.getStatusCode() + " " + bse.getErrorCode()
        : String.valueOf(e.getMessage());
    return new StorageException(
        "cannot " + action + " " + key + " in " + container.getBlobContainerUrl() + "/" + prefix
            + ": " + reason,
        e);
  }

  /**
   * Configures an {@link AzureBlobStorage}: a {@link #container} and one way to reach the account
   * ({@link #connectionString}, {@link #endpoint} with {@link #credential}, or {@link #serviceClient}).
   */
  public static final class Builder {
    private @Nullable String connectionString;
    private @Nullable URI endpoint;
    private @Nullable TokenCredential credential;
    private @Nullable BlobServiceClient serviceClient;
    private @Nullable String container;
    private String prefix = "";
    private long blockSize = DEFAULT_BLOCK_SIZE;
    private int maxTries = DEFAULT_MAX_TRIES;
    private Duration tryTimeout = DEFAULT_TRY_TIMEOUT;
    private @Nullable BlobServiceVersion serviceVersion;
    private boolean createContainerIfMissing;

    private Builder() {}

    /**
     * A storage account connection string ({@code DefaultEndpointsProtocol=...;AccountName=...;
     * AccountKey=...;BlobEndpoint=...}); with an {@code AccountKey}, {@link #presignedGet} signs SAS
     * URLs with it.
     */
    public Builder connectionString(String connectionString) {
      requireNonNull(connectionString, "connectionString");
      if (!connectionString.contains("=")) {
        throw new IllegalArgumentException(
            "not an Azure Storage connection string (no key=value pairs)");
      }
      this.connectionString = connectionString;
      return this;
    }

    /** The blob service endpoint, e.g. {@code https://account.blob.core.windows.net}; with {@link #credential}. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** A Microsoft Entra ID credential (azure-identity); SAS URLs are then user delegation SAS. */
    public Builder credential(TokenCredential credential) {
      this.credential = requireNonNull(credential, "credential");
      return this;
    }

    /** A client to use as it is (its retry and HTTP settings win); SAS URLs need its shared key. */
    public Builder serviceClient(BlobServiceClient client) {
      this.serviceClient = requireNonNull(client, "client");
      return this;
    }

    /** The container: 3-63 lower-case letters, digits and single hyphens. */
    public Builder container(String container) {
      requireNonNull(container, "container");
      if (!container.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException(
            "'" + container + "' is not a valid Azure container name");
      }
      this.container = container;
      return this;
    }

    /** Blob name prefix inside the container, e.g. {@code recordings/}; a {@code /} is appended if missing. */
    public Builder prefix(String prefix) {
      this.prefix = StorageKeys.storePrefix(requireNonNull(prefix, "prefix"));
      return this;
    }

    /** Size of each staged block, {@value #MIN_BLOCK_SIZE} to 4000 MiB; default {@value #DEFAULT_BLOCK_SIZE}. */
    public Builder blockSize(long bytes) {
      if (bytes < MIN_BLOCK_SIZE || bytes > MAX_BLOCK_SIZE) {
        throw new IllegalArgumentException("blockSize must be 64 KiB to 4000 MiB, was " + bytes);
      }
      this.blockSize = bytes;
      return this;
    }

    /** Tries per request, at least 1; default {@value #DEFAULT_MAX_TRIES}. */
    public Builder maxTries(int tries) {
      if (tries < 1) {
        throw new IllegalArgumentException("maxTries must be at least 1, was " + tries);
      }
      this.maxTries = tries;
      return this;
    }

    /** Time one try of a request may take; default {@link #DEFAULT_TRY_TIMEOUT} (60 s). */
    public Builder tryTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() < 1) {
        throw new IllegalArgumentException("tryTimeout must be at least 1 s, was " + timeout);
      }
      this.tryTimeout = timeout;
      return this;
    }

    /** The REST API version to speak; default: the SDK's latest (pin one for older emulators). */
    public Builder serviceVersion(BlobServiceVersion version) {
      this.serviceVersion = requireNonNull(version, "version");
      return this;
    }

    /** Create the container at build time if it does not exist; default {@code false}. */
    public Builder createContainerIfMissing(boolean create) {
      this.createContainerIfMissing = create;
      return this;
    }

    public AzureBlobStorage build() {
      String name = container;
      if (name == null) {
        throw new IllegalStateException("container is required");
      }
      int ways = (connectionString != null ? 1 : 0)
          + (endpoint != null ? 1 : 0)
          + (serviceClient != null ? 1 : 0);
      if (ways != 1) {
        throw new IllegalStateException(
            "set exactly one of connectionString, endpoint (+ credential), serviceClient");
      }
      BlobServiceClient given = serviceClient;
      if (given != null) {
        return new AzureBlobStorage(this, given, SasMode.ACCOUNT_KEY, name);
      }
      HttpClient http =
          new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10)).build();
      BlobServiceClientBuilder cb = new BlobServiceClientBuilder()
          .httpClient(http)
          .retryOptions(new RequestRetryOptions(
              RetryPolicyType.EXPONENTIAL,
              maxTries,
              tryTimeout,
              Duration.ofMillis(500),
              Duration.ofSeconds(5),
              null));
      if (serviceVersion != null) {
        cb.serviceVersion(serviceVersion);
      }
      SasMode mode;
      String cs = connectionString;
      if (cs != null) {
        try {
          cb.connectionString(cs);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "not a usable Azure Storage connection string: " + e.getMessage(), e);
        }
        mode = cs.contains("AccountKey=") ? SasMode.ACCOUNT_KEY : SasMode.NONE;
      } else {
        TokenCredential tc = credential;
        if (tc == null) {
          throw new IllegalStateException("endpoint needs a credential");
        }
        cb.endpoint(String.valueOf(endpoint)).credential(tc);
        mode = SasMode.USER_DELEGATION;
      }
      return new AzureBlobStorage(this, cb.buildClient(), mode, name);
    }
  }
}
