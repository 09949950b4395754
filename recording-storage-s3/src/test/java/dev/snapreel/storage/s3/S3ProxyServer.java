package dev.snapreel.storage.s3;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server (s3proxy over an in-memory blob store) on a loopback port, with SigV4
 * authentication. {@link #stop()} and {@link #start()} take it down and bring it back on the same
 * port with the same objects, to simulate an outage.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "snapreel-access";
  static final String SECRET_KEY = "snapreel-secret";
  static final String REGION = "us-east-1";

  private final BlobStore blobStore = new TransientNio2BlobStore();
  private S3Proxy proxy;
  private int port;

  private S3ProxyServer() {}

  static S3ProxyServer start(String... buckets) throws Exception {
    S3ProxyServer server = new S3ProxyServer();
    server.startOn(0);
    try (S3Client client = server.client()) {
      for (String bucket : buckets) {
        client.createBucket(r -> r.bucket(bucket));
      }
    }
    return server;
  }

  private void startOn(int wantedPort) throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    port = proxy.getPort();
  }

  /** Brings the server back on the same port, with the objects it held. */
  void start() throws Exception {
    startOn(port);
  }

  void stop() throws Exception {
    proxy.stop();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** A plain SDK client for checking what the server holds, independently of S3Storage. */
  S3Client client() {
    return S3Client.builder()
        .region(Region.of(REGION))
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .credentialsProvider(credentials())
        .httpClientBuilder(
            software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }

  S3Storage.Builder storage(String bucket) {
    return S3Storage.builder()
        .bucket(bucket)
        .region(REGION)
        .endpoint(endpoint())
        .pathStyle(true)
        .credentials(credentials());
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
