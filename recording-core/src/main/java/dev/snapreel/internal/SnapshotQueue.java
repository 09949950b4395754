package dev.snapreel.internal;

import dev.snapreel.Snapshot;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Bounded hand-off from callers to one writer. {@link #offer} never blocks: when full it drops the
 * oldest pending snapshot (the pacer then holds the frame before it), so a slow encoder costs frames,
 * never caller latency or unbounded memory.
 */
final class SnapshotQueue {
  record Pending(Snapshot snapshot, long timeNanos) {}

  private final int capacity;
  private final ArrayDeque<Pending> items;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private boolean closed;

  SnapshotQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.items = new ArrayDeque<>(capacity);
  }

  /** Outcome of an offer. */
  enum Offer {
    ACCEPTED,
    ACCEPTED_DROPPED_OLDEST,
    CLOSED
  }

  Offer offer(Pending pending) {
    lock.lock();
    try {
      if (closed) {
        return Offer.CLOSED;
      }
      Offer result = Offer.ACCEPTED;
      if (items.size() >= capacity) {
        items.pollFirst();
        result = Offer.ACCEPTED_DROPPED_OLDEST;
      }
      items.addLast(pending);
      notEmpty.signal();
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Next snapshot, waiting up to {@code timeoutNanos}; null on time-out or when closed and empty. */
  @Nullable
  Pending poll(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long remaining = timeoutNanos;
      while (items.isEmpty()) {
        if (closed || remaining <= 0) {
          return null;
        }
        remaining = notEmpty.awaitNanos(remaining);
      }
      return items.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Refuses further offers; what is queued is still drained. Returns false if already closed. */
  boolean close() {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      closed = true;
      notEmpty.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  boolean isClosedAndEmpty() {
    lock.lock();
    try {
      return closed && items.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  static long toNanos(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
