package dev.snapreel.sink;

/**
 * A decoded, scaled frame owned by the session that prepared it. The core closes it once no output
 * slot will show it again, which frees its native memory.
 *
 * @since 0.1.0
 */
public interface PreparedFrame extends AutoCloseable {
  @Override
  void close();
}
