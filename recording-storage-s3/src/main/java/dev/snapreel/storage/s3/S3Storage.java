package dev.snapreel.storage.s3;

import static java.util.Objects.requireNonNull;

import dev.snapreel.InvalidOptionException;
import dev.snapreel.StorageException;
import dev.snapreel.storage.ByteRange;
import dev.snapreel.storage.RangeNotSatisfiableException;
import dev.snapreel.storage.StorageBackend;
import dev.snapreel.storage.StorageKeys;
import dev.snapreel.storage.StoredObject;
import dev.snapreel.storage.s3.internal.FileSlices;
import dev.snapreel.upload.RemoteChecksums;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Recordings in an S3 bucket (Amazon S3 or any S3-compatible store), on the AWS SDK for Java v2 with
 * its URL-connection HTTP client. Keys are the storage keys, under an optional {@link
 * Builder#prefix(String) prefix}; metadata JSON lives beside each video exactly as on local disk, so
 * the bucket alone is the source of truth and an empty host rebuilds its index from it.
 *
 * <ul>
 *   <li>{@link #put} streams the file: one {@code PutObject} up to {@link Builder#partSize(long)},
 *       a multipart upload above it, reading each part from the file (never the whole file in
 *       memory). Every request carries the SHA-256 of its bytes ({@code x-amz-checksum-sha256}),
 *       which the server verifies; the whole file's SHA-256 is stored as user metadata {@code
 *       sha256} ({@link #sha256(String)}). A failed multipart upload is aborted; {@link
 *       #abortIncompleteUploads(Duration)} clears ones a crashed process left behind.
 *   <li>{@link #open} reads byte ranges ({@code Range} header; one starting past the end is a {@link
 *       RangeNotSatisfiableException}); {@link #presignedGet} signs GET URLs
 *       so a host can redirect downloads instead of proxying them.
 *   <li>{@link #objectUrl} is {@code s3://bucket/key}: stable and independent of the endpoint.
 * </ul>
 *
 * <p>Credentials come from the SDK's default chain (environment {@code AWS_ACCESS_KEY_ID}/{@code
 * AWS_SECRET_ACCESS_KEY}, profile, container or instance role) unless {@link
 * Builder#credentials(AwsCredentialsProvider)} is set. The bucket must exist. Thread-safe.
 *
 * @since 0.1.0
 */
public final class S3Storage implements StorageBackend, RemoteChecksums {
  private static final Logger log = LoggerFactory.getLogger(S3Storage.class);
  /** S3's minimum part size (except the last part). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private static final String SHA256_METADATA = "sha256";

  private final S3Client client;
  private final boolean ownsClient;
  private final S3Presigner presigner;
  private final String bucket;
  private final String prefix;
  private final long partSize;
  /** Multipart uploads this instance started and has not finished: aborted on close. */
  private final Set<String> openUploads = ConcurrentHashMap.newKeySet();

  private final Map<String, String> keyByUpload = new ConcurrentHashMap<>();

  private S3Storage(Builder b, String bucket, Region region) {
    this.bucket = bucket;
    this.prefix = b.prefix;
    this.partSize = b.partSize;
    AwsCredentialsProvider credentials = b.credentials != null
        ? b.credentials
        : DefaultCredentialsProvider.builder().build();
    S3Client given = b.client;
    if (given != null) {
      this.client = given;
      this.ownsClient = false;
    } else {
      S3ClientBuilder cb = S3Client.builder()
          .region(region)
          .credentialsProvider(credentials)
          .forcePathStyle(b.pathStyle)
          .httpClientBuilder(UrlConnectionHttpClient.builder()
              .connectionTimeout(Duration.ofSeconds(10))
              .socketTimeout(Duration.ofSeconds(60)));
      if (b.endpoint != null) {
        cb.endpointOverride(b.endpoint);
      }
      this.client = cb.build();
      this.ownsClient = true;
    }
    S3Presigner.Builder pb = S3Presigner.builder()
        .region(region)
        .credentialsProvider(credentials)
        .serviceConfiguration(
            S3Configuration.builder().pathStyleAccessEnabled(b.pathStyle).build());
    if (b.endpoint != null) {
      pb.endpointOverride(b.endpoint);
    }
    this.presigner = pb.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configured from the environment: {@code S3_BUCKET_NAME} (required), {@code S3_REGION} (default
   * {@code us-east-1}), {@code S3_ENDPOINT} (for S3-compatible stores; turns on path-style access
   * unless {@code S3_PATH_STYLE=false}), {@code S3_PREFIX} (optional key prefix).
   */
  public static S3Storage fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** {@link #fromEnvironment()} from the given variables. */
  public static S3Storage fromEnvironment(Map<String, String> env) {
    String bucket = env.get("S3_BUCKET_NAME");
    if (bucket == null || bucket.isBlank()) {
      throw new InvalidOptionException(
          "S3_BUCKET_NAME", "is required when cloud storage is enabled");
    }
    Builder b = builder();
    fromVariable("S3_BUCKET_NAME", () -> b.bucket(bucket.trim()));
    String region = env.get("S3_REGION");
    if (region != null && !region.isBlank()) {
      b.region(region.trim());
    }
    String endpoint = env.get("S3_ENDPOINT");
    if (endpoint != null && !endpoint.isBlank()) {
      URI uri;
      try {
        uri = URI.create(endpoint.trim());
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionException("S3_ENDPOINT", "'" + endpoint + "' is not a URI");
      }
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new InvalidOptionException(
            "S3_ENDPOINT", "'" + endpoint + "' must be like http://host:port");
      }
      String pathStyle = env.get("S3_PATH_STYLE");
      b.endpoint(uri)
          .pathStyle(
              pathStyle == null || pathStyle.isBlank() || Boolean.parseBoolean(pathStyle.trim()));
    }
    String keyPrefix = env.get("S3_PREFIX");
    if (keyPrefix != null && !keyPrefix.isBlank()) {
      fromVariable("S3_PREFIX", () -> b.prefix(keyPrefix.trim()));
    }
    return b.build();
  }

  /** A setting read from an environment variable is user input: its errors name the variable. */
  private static void fromVariable(String variable, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(variable, String.valueOf(e.getMessage()));
    }
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public String provider() {
    return "s3";
  }

  @Override
  public void put(String key, Path source) {
    String objectKey = objectKey(key);
    try {
      long size = Files.size(source);
      FileSlices.Digests digests = FileSlices.digest(source, partSize);
      if (size <= partSize) {
        client.putObject(
            r -> r.bucket(bucket)
                .key(objectKey)
                .contentLength(size)
                .checksumSHA256(digests.sha256Base64())
                .metadata(Map.of(SHA256_METADATA, digests.sha256Hex())),
            RequestBody.fromContentProvider(
                () -> openSlice(source, 0, size), size, "application/octet-stream"));
      } else {
        multipartUpload(objectKey, source, size, digests);
      }
    } catch (IOException e) {
      throw new StorageException("cannot read " + source + " to store " + key + ": " + e, e);
    } catch (SdkException | UncheckedIOException e) {
      throw failure("store", key, e);
    }
  }

  private void multipartUpload(
      String objectKey, Path source, long size, FileSlices.Digests digests) {
    String uploadId = client
        .createMultipartUpload(r -> r.bucket(bucket)
            .key(objectKey)
            .contentType("application/octet-stream")
            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .metadata(Map.of(SHA256_METADATA, digests.sha256Hex())))
        .uploadId();
    openUploads.add(uploadId);
    keyByUpload.put(uploadId, objectKey);
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int count = digests.partSha256Base64().size();
      for (int i = 0; i < count; i++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new StorageException("interrupted while uploading " + objectKey);
        }
        int partNumber = i + 1;
        long offset = i * partSize;
        long length = Math.min(partSize, size - offset);
        String checksum = digests.partSha256Base64().get(i);
        String etag = client
            .uploadPart(
                r -> r.bucket(bucket)
                    .key(objectKey)
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength(length)
                    .checksumSHA256(checksum),
                RequestBody.fromContentProvider(
                    () -> openSlice(source, offset, length), length, "application/octet-stream"))
            .eTag();
        parts.add(CompletedPart.builder()
            .partNumber(partNumber)
            .eTag(etag)
            .checksumSHA256(checksum)
            .build());
      }
      client.completeMultipartUpload(r ->
          r.bucket(bucket).key(objectKey).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      completed = true;
    } finally {
      if (!completed) {
        abort(objectKey, uploadId);
      }
      openUploads.remove(uploadId);
      keyByUpload.remove(uploadId);
    }
  }

  private void abort(String objectKey, String uploadId) {
    try {
      client.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
    } catch (SdkException e) {
      // The store may be unreachable (that is often why the upload failed); abortIncompleteUploads
      // removes it later.
      log.warn("could not abort multipart upload {} of {}: {}", uploadId, objectKey, e.toString());
    }
  }

  /**
   * Aborts multipart uploads under this storage's prefix that were started more than {@code
   * olderThan} ago (by any process: e.g. one that crashed mid-upload), so their parts stop costing
   * storage. Returns how many were aborted.
   */
  public int abortIncompleteUploads(Duration olderThan) {
    requireNonNull(olderThan, "olderThan");
    Instant cutoff = Instant.now().minus(olderThan);
    int aborted = 0;
    try {
      for (MultipartUpload upload : client
          .listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix))
          .uploads()) {
        if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
          client.abortMultipartUpload(
              r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
          aborted++;
        }
      }
    } catch (SdkException e) {
      throw failure("abort incomplete uploads under", prefix, e);
    }
    if (aborted > 0) {
      log.info("aborted {} incomplete multipart uploads in s3://{}/{}", aborted, bucket, prefix);
    }
    return aborted;
  }

  @Override
  public void putBytes(String key, byte[] content) {
    String objectKey = objectKey(key);
    try {
      client.putObject(
          r -> r.bucket(bucket)
              .key(objectKey)
              .contentLength((long) content.length)
              .contentType(key.endsWith(".json") ? "application/json" : "application/octet-stream")
              .checksumAlgorithm(ChecksumAlgorithm.SHA256),
          RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw failure("store", key, e);
    }
  }

  @Override
  public Optional<byte[]> getBytes(String key) {
    String objectKey = objectKey(key);
    try {
      return Optional.of(
          client.getObjectAsBytes(r -> r.bucket(bucket).key(objectKey)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("read", key, e);
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    return head(key).map(h -> new StoredObject(key, h.contentLength(), h.lastModified()));
  }

  /** The SHA-256 recorded when the object was uploaded by {@link #put}; empty if absent or unknown. */
  @Override
  public Optional<String> sha256(String key) {
    // The checksum the server computed over the bytes it stored (x-amz-checksum-mode: ENABLED),
    // never the sha256 user metadata: that one was written by the uploader itself and would confirm
    // an object the store mangled. A multipart object's checksum is composite (a digest of its
    // parts' digests, "...-N") and is not the file's SHA-256: empty, so the caller reads it back.
    String objectKey = objectKey(key);
    try {
      String checksum = client
          .headObject(r -> r.bucket(bucket).key(objectKey).checksumMode(ChecksumMode.ENABLED))
          .checksumSHA256();
      if (checksum == null || checksum.isBlank() || checksum.contains("-")) {
        return Optional.empty();
      }
      return Optional.of(
          java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(checksum)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("stat", key, e);
    } catch (SdkException | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException) {
        return Optional.empty(); // not base64: unknown, read it back
      }
      throw failure("stat", key, e);
    }
  }

  private Optional<HeadObjectResponse> head(String key) {
    String objectKey = objectKey(key);
    try {
      return Optional.of(client.headObject(r -> r.bucket(bucket).key(objectKey)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("stat", key, e);
    } catch (SdkException e) {
      throw failure("stat", key, e);
    }
  }

  @Override
  public InputStream open(String key, ByteRange range) {
    String objectKey = objectKey(key);
    if (range.length() == 0) {
      if (head(key).isEmpty()) {
        throw new StorageException("no object " + key);
      }
      return new ByteArrayInputStream(new byte[0]);
    }
    String header = "bytes=" + range.offset() + "-" + (range.endExclusive() - 1);
    try {
      return client.getObject(r -> r.bucket(bucket).key(objectKey).range(header));
    } catch (NoSuchKeyException e) {
      throw new StorageException("no object " + key, e);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        throw new RangeNotSatisfiableException(key, range, -1, e);
      }
      if (e.statusCode() == 404) {
        throw new StorageException("no object " + key, e);
      }
      throw failure("read", key, e);
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public List<StoredObject> list(String keyPrefix) {
    StorageKeys.requireValidPrefix(keyPrefix);
    List<StoredObject> out = new ArrayList<>();
    try {
      for (S3Object o : client
          .listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + keyPrefix))
          .contents()) {
        String key = o.key().substring(prefix.length());
        if (StorageKeys.isValid(key)) { // foreign objects (e.g. "folder/" markers) are not ours
          out.add(new StoredObject(key, o.size(), o.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw failure("list", keyPrefix.isEmpty() ? "the bucket" : keyPrefix, e);
    }
    return out;
  }

  @Override
  public boolean delete(String key) {
    boolean existed = head(key).isPresent();
    String objectKey = objectKey(key);
    try {
      client.deleteObject(r -> r.bucket(bucket).key(objectKey));
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
    return existed;
  }

  @Override
  public Optional<URI> presignedGet(String key, Duration ttl) {
    requireNonNull(ttl, "ttl");
    String objectKey = objectKey(key);
    try {
      return Optional.of(presigner
          .presignGetObject(p ->
              p.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(objectKey)))
          .url()
          .toURI());
    } catch (java.net.URISyntaxException | SdkException e) {
      throw new StorageException("cannot presign " + key + ": " + e, e);
    }
  }

  /** {@code s3://bucket/prefix+key}: names the object whatever the endpoint. */
  @Override
  public Optional<String> objectUrl(String key) {
    return Optional.of("s3://" + bucket + "/" + objectKey(key));
  }

  /** Aborts this instance's unfinished multipart uploads, then releases the client it built. */
  @Override
  public void close() {
    for (String uploadId : Set.copyOf(openUploads)) {
      String objectKey = keyByUpload.get(uploadId);
      if (objectKey != null) {
        abort(objectKey, uploadId);
      }
    }
    presigner.close();
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "S3Storage[s3://" + bucket + "/" + prefix + "]";
  }

  private String objectKey(String key) {
    return prefix + StorageKeys.requireValid(key);
  }

  private static InputStream openSlice(Path file, long offset, long length) {
    try {
      return FileSlices.open(file, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private StorageException failure(String action, String key, Exception e) {
    return new StorageException(
        "cannot " + action + " " + key + " in s3://" + bucket + "/" + prefix + ": "
            + e.getMessage(),
        e);
  }

  /** Configures an {@link S3Storage}; {@link #bucket} is required. */
  public static final class Builder {
    private @Nullable String bucket;
    private String region = "us-east-1";
    private @Nullable URI endpoint;
    private boolean pathStyle;
    private String prefix = "";
    private long partSize = 16L * 1024 * 1024;
    private @Nullable S3Client client;
    private @Nullable AwsCredentialsProvider credentials;

    private Builder() {}

    public Builder bucket(String bucket) {
      requireNonNull(bucket, "bucket");
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException("'" + bucket + "' is not a valid S3 bucket name");
      }
      this.bucket = bucket;
      return this;
    }

    /** AWS region; default {@code us-east-1} (S3-compatible stores usually accept any). */
    public Builder region(String region) {
      requireNonNull(region, "region");
      if (region.isBlank()) {
        throw new IllegalArgumentException("region must not be blank");
      }
      this.region = region;
      return this;
    }

    /** Endpoint of an S3-compatible store (MinIO, Ceph, s3proxy, ...), e.g. {@code http://minio:9000}. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Path-style URLs ({@code endpoint/bucket/key}), which most S3-compatible stores need. */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** Key prefix inside the bucket, e.g. {@code recordings/}; a {@code /} is appended if missing. */
    public Builder prefix(String prefix) {
      this.prefix = StorageKeys.storePrefix(requireNonNull(prefix, "prefix"));
      return this;
    }

    /** Multipart part size, at least 5 MiB; files up to one part go in a single request. Default 16 MiB. */
    public Builder partSize(long bytes) {
      if (bytes < MIN_PART_SIZE) {
        throw new IllegalArgumentException("partSize must be at least 5 MiB, was " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * A client to use instead of building one (then not closed by {@link #close()}); region,
     * endpoint and path style must then be set on it too, as presigned URLs use this builder's.
     */
    public Builder client(S3Client client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** Credentials; default: the SDK's default provider chain. */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = requireNonNull(credentials, "credentials");
      return this;
    }

    public S3Storage build() {
      String b = requireNonNull(bucket, "bucket is required");
      return new S3Storage(this, b, Region.of(region));
    }
  }
}
