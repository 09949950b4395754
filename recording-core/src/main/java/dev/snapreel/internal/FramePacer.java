package dev.snapreel.internal;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Maps snapshots arriving at irregular times onto a constant frame grid, with the semantics of
 * FFmpeg's {@code fps} filter ({@code libavfilter/vf_fps.c}, rounding to nearest):
 *
 * <ul>
 *   <li>The grid starts at the first snapshot's time ({@code origin}); slot {@code n} lies at {@code
 *       origin + n / fps}. Nothing is emitted before the first snapshot.
 *   <li>A snapshot at time {@code t} belongs to slot {@code round((t - origin) * fps)}; output slot
 *       {@code n} shows the latest snapshot whose slot is {@code <= n}.
 *   <li>Several snapshots in one slot: the last one wins, the others are {@linkplain
 *       Listener#dropped dropped}. Empty slots repeat the previous frame ({@linkplain
 *       Listener#emit duplicates}).
 *   <li>{@link #finish(long)} holds the last snapshot up to the stop time, so a recording from the
 *       first snapshot to {@code stop} has {@code max(round((stop - origin) * fps), lastSlot + 1)}
 *       frames: its duration is the wall-clock time within one frame, and every snapshot that was
 *       kept is shown at least once.
 * </ul>
 *
 * <p>Times are monotonic nanoseconds; a time before the previous one is treated as equal to it (the
 * caller is expected to clamp). One snapshot never fills more than {@code maxSlotsPerOffer} empty
 * slots: a later jump (a client clock leaping ahead) moves the grid's origin forward instead, so a
 * bad timestamp costs at most that many duplicates, never billions. Not thread-safe: one pacer per recording, driven by its writer.
 * Holds no frame beyond the current one, so the caller can release frames as they are superseded.
 *
 * @param <F> the frame type (opaque to the pacer)
 */
public final class FramePacer<F> {
  /** Receives the pacer's decisions, in order. */
  public interface Listener<F> {
    /**
     * Emit {@code frame} for output slot {@code slot}; {@code duplicate} is true when the same frame
     * was already emitted for the previous slot.
     */
    void emit(F frame, long slot, boolean duplicate);

    /** {@code frame} will never be emitted (superseded within its slot) and may be released. */
    void dropped(F frame);

    /** {@code frame} was emitted and is now superseded; it may be released. */
    default void retired(F frame) {}
  }

  private final double fps;
  private final Listener<F> listener;
  private final long maxSlotsPerOffer;

  private boolean started;
  private boolean finished;
  private long origin;
  private long lastTime;
  /** The next output slot to emit; the current frame owns it. */
  private long nextSlot;

  private @Nullable F current;
  private boolean currentEmitted;

  private long emitted;
  private long duplicated;
  private long dropped;

  /** A pacer that lets one snapshot fill at most ten minutes of empty slots. */
  public FramePacer(double fps, Listener<F> listener) {
    this(fps, listener, Math.max(1, (long) Math.ceil(fps * 600)));
  }

  /**
   * @param maxSlotsPerOffer the most empty slots one {@link #offer} or {@link #advanceTo} may fill
   *     (at least 1); a larger jump in time shifts the grid instead
   */
  public FramePacer(double fps, Listener<F> listener, long maxSlotsPerOffer) {
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive and finite, was " + fps);
    }
    if (maxSlotsPerOffer < 1) {
      throw new IllegalArgumentException("maxSlotsPerOffer must be >= 1, was " + maxSlotsPerOffer);
    }
    this.fps = fps;
    this.listener = requireNonNull(listener, "listener");
    this.maxSlotsPerOffer = maxSlotsPerOffer;
  }

  /** Offers the snapshot {@code frame} captured at {@code timeNanos}. */
  public void offer(F frame, long timeNanos) {
    requireNonNull(frame, "frame");
    checkOpen();
    if (!started) {
      started = true;
      origin = timeNanos;
      lastTime = timeNanos;
      current = frame;
      currentEmitted = false;
      nextSlot = 0;
      return;
    }
    long time = Math.max(timeNanos, lastTime);
    lastTime = time;
    long slot = Math.max(capped(time), nextSlot);
    if (slot > nextSlot) {
      emitCurrentUntil(slot);
    }
    // The current frame owns nextSlot == slot and has not been emitted for it: the newer one wins.
    F previous = current;
    current = frame;
    if (previous != null) {
      if (currentEmitted) {
        listener.retired(previous);
      } else {
        dropped++;
        listener.dropped(previous);
      }
    }
    currentEmitted = false;
  }

  /**
   * Emits the held frame for every slot that ends before {@code timeNanos}, so a stalled source still
   * produces output as time passes. A later snapshot timed before {@code timeNanos} lands in the next
   * free slot. No effect before the first snapshot.
   */
  public void advanceTo(long timeNanos) {
    checkOpen();
    if (!started || timeNanos <= lastTime) {
      return;
    }
    // Only slots strictly before the one containing timeNanos are final.
    long slot = capped(timeNanos);
    if (slot > nextSlot) {
      emitCurrentUntil(slot);
    }
  }

  /**
   * Ends the stream at {@code stopNanos}, emitting the held frame up to it (at least once). Returns
   * the total number of frames emitted. A pacer that never saw a snapshot emits nothing.
   */
  public long finish(long stopNanos) {
    checkOpen();
    finished = true;
    if (!started) {
      return 0;
    }
    // The held frame must be shown once; if advanceTo already showed it, stop exactly at the stop
    // time.
    long end =
        Math.max(capped(Math.max(stopNanos, lastTime)), currentEmitted ? nextSlot : nextSlot + 1);
    emitCurrentUntil(end);
    F last = current;
    current = null;
    if (last != null) {
      listener.retired(last);
    }
    return emitted;
  }

  /**
   * Abandons the stream (the encoder failed): hands the held frame to {@link Listener#retired} so
   * it can be released, and emits nothing more.
   */
  public void abandon() {
    finished = true;
    F last = current;
    current = null;
    if (last != null) {
      listener.retired(last);
    }
  }

  /** Total frames emitted so far (unique plus duplicates). */
  public long emitted() {
    return emitted;
  }

  /** Frames emitted that repeat the previous slot's frame. */
  public long duplicated() {
    return duplicated;
  }

  /** Snapshots superseded within their slot, never emitted. */
  public long dropped() {
    return dropped;
  }

  /** The time of the first snapshot, if any. */
  public boolean started() {
    return started;
  }

  public long originNanos() {
    if (!started) {
      throw new IllegalStateException("no snapshot yet");
    }
    return origin;
  }

  /** Output slot for a time on the recording's clock, rounded to nearest like vf_fps. */
  long slotOf(long timeNanos) {
    double seconds = (timeNanos - origin) / 1e9;
    return Math.max(0, Math.round(seconds * fps));
  }

  /**
   * {@link #slotOf} for a new time, after moving the origin forward if the time lies more than
   * {@code maxSlotsPerOffer} slots past the next one.
   */
  private long capped(long timeNanos) {
    long slot = slotOf(timeNanos);
    if (slot - nextSlot > maxSlotsPerOffer) {
      long target = nextSlot + maxSlotsPerOffer;
      origin = timeNanos - Math.round(target * 1e9 / fps);
      slot = Math.min(Math.max(slotOf(timeNanos), nextSlot), target);
    }
    return slot;
  }

  private void emitCurrentUntil(long endSlotExclusive) {
    F frame = current;
    if (frame == null) {
      return;
    }
    while (nextSlot < endSlotExclusive) {
      boolean duplicate = currentEmitted;
      listener.emit(frame, nextSlot, duplicate);
      emitted++;
      if (duplicate) {
        duplicated++;
      }
      currentEmitted = true;
      nextSlot++;
    }
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("pacer is finished");
    }
  }
}
