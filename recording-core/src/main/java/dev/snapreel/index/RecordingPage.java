package dev.snapreel.index;

import static java.util.Objects.requireNonNull;

import dev.snapreel.metadata.RecordingMetadata;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * @param recordings in the listing's order
 * @param nextCursor for {@link PageRequest#after}, or null on the last page
 * @since 0.1.0
 */
public record RecordingPage(
    List<RecordingMetadata> recordings, @Nullable String nextCursor) {
  public RecordingPage {
    recordings = List.copyOf(requireNonNull(recordings, "recordings"));
  }

  public static RecordingPage empty() {
    return new RecordingPage(List.of(), null);
  }

  /** Whether another page follows. */
  public boolean hasMore() {
    return nextCursor != null;
  }
}
