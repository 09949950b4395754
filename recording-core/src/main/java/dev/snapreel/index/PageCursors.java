package dev.snapreel.index;

import static java.util.Objects.requireNonNull;

import dev.snapreel.storage.StorageKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Encodes {@link PageCursor}s as opaque, tamper-evident strings: URL-safe base64 of a version byte,
 * the position and a truncated HMAC-SHA256 over the position and the listing it belongs to (owner,
 * session or query). A cursor that was changed, cut, or given to another owner's or another
 * session's listing is rejected with {@link InvalidCursorException}.
 *
 * <p>Hosts that share an index (or restart) need the same key for their cursors to stay valid: give
 * one with {@link #withKey}. The JDBC index keeps a key in its database.
 *
 * @since 0.1.0
 */
public final class PageCursors {
  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 16;
  private static final int MAX_ID_BYTES = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private PageCursors(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException(
          "cursor key must have at least 16 bytes, had " + key.length);
    }
    this.key = key.clone();
  }

  /** Cursors signed with {@code key} (at least 16 bytes). */
  public static PageCursors withKey(byte[] key) {
    return new PageCursors(requireNonNull(key, "key"));
  }

  /** Cursors signed with a random key: valid for the life of this instance only. */
  public static PageCursors randomKey() {
    return new PageCursors(newKey());
  }

  /** 32 random bytes, for {@link #withKey}. */
  public static byte[] newKey() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }

  /** The scope of an owner's listing. */
  public static String ownerScope(String ownerId) {
    return "owner:" + ownerId;
  }

  /** The scope of one session's listing. */
  public static String sessionScope(String ownerId, String sessionId) {
    return "session:" + ownerId + "/" + sessionId;
  }

  public String encode(String scope, PageCursor position) {
    byte[] id = position.recordingId().getBytes(StandardCharsets.UTF_8);
    if (id.length > MAX_ID_BYTES) {
      throw new IllegalArgumentException("recording id too long for a cursor");
    }
    ByteBuffer body = ByteBuffer.allocate(1 + 8 + 1 + id.length);
    body.put(VERSION).putLong(position.createdAtMicros()).put((byte) id.length).put(id);
    byte[] mac = mac(scope, body.array());
    ByteBuffer out = ByteBuffer.allocate(body.capacity() + MAC_BYTES);
    out.put(body.array()).put(mac, 0, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  /**
   * The position in {@code cursor}.
   *
   * @throws InvalidCursorException if it is malformed, altered, or of another listing
   */
  public PageCursor decode(String scope, String cursor) {
    requireNonNull(cursor, "cursor");
    if (cursor.length() > 512) {
      throw new InvalidCursorException("cursor is too long");
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException("cursor is not valid base64url");
    }
    if (raw.length < 1 + 8 + 1 + 1 + MAC_BYTES || raw[0] != VERSION) {
      throw new InvalidCursorException("cursor is malformed");
    }
    int idLength = raw[9] & 0xff;
    if (raw.length != 10 + idLength + MAC_BYTES) {
      throw new InvalidCursorException("cursor is malformed");
    }
    byte[] body = new byte[10 + idLength];
    System.arraycopy(raw, 0, body, 0, body.length);
    byte[] expected = mac(scope, body);
    byte[] given = new byte[MAC_BYTES];
    System.arraycopy(raw, body.length, given, 0, MAC_BYTES);
    byte[] expectedPrefix = new byte[MAC_BYTES];
    System.arraycopy(expected, 0, expectedPrefix, 0, MAC_BYTES);
    if (!MessageDigest.isEqual(expectedPrefix, given)) {
      throw new InvalidCursorException("cursor was altered or belongs to another listing");
    }
    long micros = ByteBuffer.wrap(body, 1, 8).getLong();
    String id = new String(body, 10, idLength, StandardCharsets.UTF_8);
    if (!StorageKeys.isSegment(id)) {
      throw new InvalidCursorException("cursor is malformed");
    }
    return new PageCursor(micros, id);
  }

  /** {@link #decode} of a page request's cursor; null (the first page) when there is none. */
  public @Nullable PageCursor position(String scope, @Nullable String cursor) {
    return cursor == null ? null : decode(scope, cursor);
  }

  private byte[] mac(String scope, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(scope.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
