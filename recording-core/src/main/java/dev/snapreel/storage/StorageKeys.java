package dev.snapreel.storage;

import java.util.regex.Pattern;

/**
 * Storage keys are {@code /}-separated segments of letters, digits, {@code . _ @ -}, not starting
 * with a dot: so no key can name a parent directory, a hidden file, or an absolute path.
 *
 * @since 0.1.0
 */
public final class StorageKeys {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,127}");

  private StorageKeys() {}

  /** True when {@code value} is usable as one key segment (an owner or session id, a file name). */
  public static boolean isSegment(String value) {
    return SEGMENT.matcher(value).matches();
  }

  /** Returns {@code key} if every segment is valid; throws {@link IllegalArgumentException} otherwise. */
  public static String requireValid(String key) {
    if (key.isEmpty() || key.length() > 1024) {
      throw new IllegalArgumentException("invalid storage key length: " + key.length());
    }
    for (String segment : key.split("/", -1)) {
      if (!isSegment(segment)) {
        throw new IllegalArgumentException("invalid storage key: '" + key + "'");
      }
    }
    return key;
  }

  /**
   * The key of the manifest stored beside {@code key}: the key with {@code .json} for its extension
   * ({@code a/b/x.mp4} and {@code a/b/x.json} belong together).
   */
  public static String manifestKeyFor(String key) {
    int dot = key.lastIndexOf('.');
    int slash = key.lastIndexOf('/');
    return (dot > slash ? key.substring(0, dot) : key) + ".json";
  }

  /** True when {@code key} is a valid storage key (e.g. to skip foreign objects in a listing). */
  public static boolean isValid(String key) {
    try {
      requireValid(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A whole store's key prefix (inside a bucket or container): empty, or valid segments returned with
   * a {@code /} appended if missing, so {@code prefix + key} is a key again.
   *
   * @throws IllegalArgumentException if a segment is invalid
   */
  public static String storePrefix(String prefix) {
    if (prefix.isEmpty()) {
      return prefix;
    }
    String p = prefix.endsWith("/") ? prefix : prefix + "/";
    requireValid(p.substring(0, p.length() - 1));
    return p;
  }

  /** A prefix is empty or a valid key, optionally ending in {@code /}. */
  public static String requireValidPrefix(String prefix) {
    if (prefix.isEmpty()) {
      return prefix;
    }
    requireValid(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return prefix;
  }
}
