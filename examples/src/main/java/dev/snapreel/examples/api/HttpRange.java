package dev.snapreel.examples.api;

import dev.snapreel.storage.ByteRange;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses a single-range {@code Range: bytes=...} header (RFC 9110) against a resource size. Forms
 * {@code a-b}, {@code a-} and {@code -n}; anything else (other units, several ranges) is ignored and
 * the whole resource is served, as the RFC allows.
 */
final class HttpRange {
  private static final Pattern SINGLE =
      Pattern.compile("bytes\\s*=\\s*(\\d{0,18})\\s*-\\s*(\\d{0,18})\\s*");

  private HttpRange() {}

  /** Thrown for a well-formed range that lies outside the resource: the answer is 416. */
  static final class Unsatisfiable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsatisfiable(String message) {
      super(message);
    }
  }

  /**
   * The requested range, or empty to serve everything.
   *
   * @throws Unsatisfiable if the range starts beyond the end, or is an empty suffix
   */
  static Optional<ByteRange> parse(@Nullable String header, long size) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    String first = m.group(1);
    String last = m.group(2);
    if (first.isEmpty() && last.isEmpty()) {
      return Optional.empty();
    }
    if (first.isEmpty()) {
      long suffix = Long.parseLong(last);
      if (suffix == 0 || size == 0) {
        throw new Unsatisfiable("empty suffix range");
      }
      long length = Math.min(suffix, size);
      return Optional.of(new ByteRange(size - length, length));
    }
    long start = Long.parseLong(first);
    if (start >= size) {
      throw new Unsatisfiable("range starts at " + start + ", size is " + size);
    }
    long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
    if (end < start) {
      return Optional.empty(); // syntactically invalid: ignore the header
    }
    return Optional.of(new ByteRange(start, end - start + 1));
  }
}
