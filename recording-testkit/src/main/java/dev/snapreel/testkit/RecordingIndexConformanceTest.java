package dev.snapreel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.index.InvalidCursorException;
import dev.snapreel.index.OwnerUsage;
import dev.snapreel.index.PageRequest;
import dev.snapreel.index.RecordingIndex;
import dev.snapreel.index.RecordingPage;
import dev.snapreel.index.RecordingQuery;
import dev.snapreel.metadata.RecordingMetadata;
import dev.snapreel.metadata.RecordingStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link RecordingIndex} must show, as one JUnit 5 suite an implementation's
 * module runs by extending this class: owner-scoped get, newest-first listing by owner and by
 * session, keyset pagination that neither repeats nor skips (also with equal times and while rows
 * are added or removed), tamper-evident cursors bound to their listing, usage per owner, status and
 * age queries, batches, concurrent writers, and data that outlives the instance.
 *
 * <p>The kit follows the service's contract: a recording's metadata is in the storage before the
 * index hears of it, and leaves the storage before it is removed. {@link #stored} and {@link
 * #deleted} model that for indexes derived from a storage; others ignore them.
 *
 * @since 0.1.0
 */
public abstract class RecordingIndexConformanceTest {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS").withZone(ZoneOffset.UTC);
  private static final Instant T0 = Instant.parse("2026-11-25T10:15:00.123456789Z");

  @TempDir
  protected Path temp;

  private final List<RecordingIndex> opened = new ArrayList<>();
  private @Nullable RecordingIndex index;

  /** A new, empty index whose data lives in (or under) {@code temp}. Called once per test. */
  protected abstract RecordingIndex newIndex(Path temp) throws Exception;

  /** A second instance on the data of the last {@link #newIndex}, as after a restart. */
  protected abstract RecordingIndex reopen() throws Exception;

  /**
   * Whether a cursor from one instance is valid in a {@link #reopen}ed one (the key is kept with the
   * data). Either way the kit asserts the declared behaviour.
   */
  protected abstract boolean cursorsSurviveReopen();

  /** Called before {@code metadata} is put or updated: it is now in the storage. */
  protected void stored(RecordingMetadata metadata) throws Exception {}

  /** Called before {@code metadata} is removed: it has left the storage. */
  protected void deleted(RecordingMetadata metadata) throws Exception {}

  @AfterEach
  void closeIndexes() {
    for (RecordingIndex i : opened) {
      i.close();
    }
  }

  /** The index under test, made by {@link #newIndex} on first use. */
  protected final RecordingIndex index() {
    if (index == null) {
      try {
        index = track(newIndex(temp));
      } catch (Exception e) {
        throw new IllegalStateException("could not create the index", e);
      }
    }
    return index;
  }

  private RecordingPage list(String owner, PageRequest page) {
    return index().list(owner, page);
  }

  private RecordingPage list(String owner, String session, PageRequest page) {
    return index().list(owner, session, page);
  }

  private RecordingIndex track(RecordingIndex i) {
    opened.add(i);
    return i;
  }

  /** A completed recording of {@code ownerId}'s {@code sessionId} created at {@code createdAt}. */
  protected static RecordingMetadata recording(
      String ownerId, String sessionId, Instant createdAt) {
    String filename = "session_" + sessionId + "_" + FILE_TIME.format(createdAt) + ".mp4";
    return RecordingMetadata.builder()
        .identity(
            UUID.randomUUID().toString(),
            ownerId,
            sessionId,
            filename,
            ownerId + "/" + sessionId + "/" + filename)
        .status(RecordingStatus.COMPLETED)
        .format("h264", 30.0, 1280, 720)
        .durationSeconds(12.5)
        .frameCount(375)
        .fileSizeBytes(1_000 + createdAt.toEpochMilli() % 1000)
        .sha256("ab".repeat(32))
        .createdAt(createdAt)
        .startedAt(createdAt.plusMillis(20))
        .endedAt(createdAt.plusSeconds(13))
        .counters(62, 0, 313, 0)
        .build();
  }

  private RecordingMetadata put(RecordingMetadata m) throws Exception {
    stored(m);
    index().put(m);
    return m;
  }

  private List<RecordingMetadata> putMany(String owner, String session, int n, Instant from)
      throws Exception {
    List<RecordingMetadata> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(put(recording(owner, session, from.plusSeconds(i))));
    }
    return out;
  }

  private static List<String> ids(List<RecordingMetadata> ms) {
    return ms.stream().map(RecordingMetadata::recordingId).toList();
  }

  private static List<String> newestFirst(List<RecordingMetadata> ms) {
    List<RecordingMetadata> copy = new ArrayList<>(ms);
    copy.sort(Comparator.comparing(RecordingMetadata::createdAt)
        .thenComparing(RecordingMetadata::recordingId)
        .reversed());
    return ids(copy);
  }

  /** Walks a listing page by page; fails if it does not end within {@code maxPages}. */
  private static List<RecordingMetadata> walk(
      Function<PageRequest, RecordingPage> listing, int limit, int maxPages) {
    List<RecordingMetadata> all = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < maxPages; pages++) {
      RecordingPage page = listing.apply(PageRequest.after(limit, cursor));
      assertThat(page.recordings()).hasSizeLessThanOrEqualTo(limit);
      all.addAll(page.recordings());
      cursor = page.nextCursor();
      if (cursor == null) {
        return all;
      }
      assertThat(page.recordings()).as("a page with a next cursor is full").hasSize(limit);
    }
    throw new AssertionError("listing did not end within " + maxPages + " pages");
  }

  @Test
  @DisplayName("get returns exactly what was put, scoped to its owner")
  void getIsOwnerScoped() throws Exception {
    RecordingMetadata m = put(recording("alice", "s1", T0));
    assertThat(index().get("alice", m.recordingId())).contains(m);
    assertThat(index().get("bob", m.recordingId())).isEmpty();
    assertThat(index().get("alice", UUID.randomUUID().toString())).isEmpty();
    assertThat(index().get("alice", "../" + m.recordingId())).isEmpty();
    assertThat(index().get("alice/s1", m.recordingId())).isEmpty();
    assertThat(index().get("", m.recordingId())).isEmpty();
  }

  @Test
  @DisplayName("put replaces the recording with the same id; it is listed once")
  void putReplaces() throws Exception {
    RecordingMetadata m = recording("alice", "s1", T0).toBuilder()
        .status(RecordingStatus.RECORDING)
        .fileSizeBytes(0)
        .build();
    put(m);
    RecordingMetadata done = m.toBuilder()
        .status(RecordingStatus.COMPLETED)
        .fileSizeBytes(4242)
        .error("note")
        .build();
    put(done);
    assertThat(index().get("alice", m.recordingId())).contains(done);
    assertThat(index().list("alice", PageRequest.first(10)).recordings()).containsExactly(done);
    assertThat(index().usage("alice")).isEqualTo(new OwnerUsage(1, 4242));
  }

  @Test
  @DisplayName("update replaces an indexed recording and never brings back one that is not indexed")
  void updateOnlyIndexed() throws Exception {
    RecordingMetadata m = put(recording("alice", "s1", T0));
    RecordingMetadata changed =
        m.toBuilder().status(RecordingStatus.FAILED).error("boom").build();
    stored(changed);
    assertThat(index().update(changed)).isTrue();
    assertThat(index().get("alice", m.recordingId())).contains(changed);

    RecordingMetadata never = recording("alice", "s1", T0.plusSeconds(5));
    assertThat(index().update(never)).isFalse();
    assertThat(index().get("alice", never.recordingId())).isEmpty();
    assertThat(ids(index().list("alice", PageRequest.first(10)).recordings()))
        .containsExactly(m.recordingId());
  }

  @Test
  @DisplayName("remove takes a recording out of get, lists and usage; never another owner's")
  void removeIsOwnerScoped() throws Exception {
    RecordingMetadata keep = put(recording("alice", "s1", T0));
    RecordingMetadata gone = put(recording("alice", "s1", T0.plusSeconds(1)));
    assertThat(index().remove("bob", gone.recordingId())).isFalse();
    assertThat(index().get("alice", gone.recordingId())).contains(gone);

    deleted(gone);
    assertThat(index().remove("alice", gone.recordingId())).isTrue();
    assertThat(index().get("alice", gone.recordingId())).isEmpty();
    assertThat(index().list("alice", PageRequest.first(10)).recordings()).containsExactly(keep);
    assertThat(index().list("alice", "s1", PageRequest.first(10)).recordings())
        .containsExactly(keep);
    assertThat(index().usage("alice").recordings()).isEqualTo(1);
    assertThat(index().remove("alice", gone.recordingId())).isFalse();
  }

  @Test
  @DisplayName(
      "an owner's listing is newest first, across sessions, and shows no other owner's recordings")
  void listByOwner() throws Exception {
    List<RecordingMetadata> alice = new ArrayList<>();
    alice.addAll(putMany("alice", "s1", 4, T0));
    alice.addAll(putMany("alice", "s2", 3, T0.plusMillis(500)));
    putMany("bob", "s1", 5, T0);
    putMany("alice2", "s1", 2, T0);

    RecordingPage page = index().list("alice", PageRequest.first(100));
    assertThat(ids(page.recordings())).containsExactlyElementsOf(newestFirst(alice));
    assertThat(page.nextCursor()).isNull();
    assertThat(index().list("carol", PageRequest.first(10))).isEqualTo(RecordingPage.empty());
  }

  @Test
  @DisplayName("a session's listing holds only that session, newest first")
  void listBySession() throws Exception {
    putMany("alice", "s1", 4, T0);
    List<RecordingMetadata> s2 = putMany("alice", "s2", 3, T0.plusMillis(500));
    putMany("bob", "s2", 2, T0);
    assertThat(ids(index().list("alice", "s2", PageRequest.first(100)).recordings()))
        .containsExactlyElementsOf(newestFirst(s2));
    assertThat(index().list("alice", "s3", PageRequest.first(10)).recordings()).isEmpty();
  }

  @Test
  @DisplayName(
      "pages walk the whole listing in order, each full but the last, the last without a cursor")
  void pagination() throws Exception {
    List<RecordingMetadata> all = putMany("alice", "s1", 23, T0);
    List<RecordingMetadata> walked = walk(p -> list("alice", p), 5, 10);
    assertThat(ids(walked)).containsExactlyElementsOf(newestFirst(all));

    List<RecordingMetadata> bySession = walk(p -> list("alice", "s1", p), 7, 10);
    assertThat(ids(bySession)).containsExactlyElementsOf(newestFirst(all));

    RecordingPage exact = index().list("alice", PageRequest.first(23));
    assertThat(exact.recordings()).hasSize(23);
    assertThat(exact.nextCursor()).as("no empty page after an exactly full one").isNull();
  }

  @Test
  @DisplayName(
      "recordings created in the same microsecond are paged by id: none repeated, none skipped")
  void tiesArePagedById() throws Exception {
    List<RecordingMetadata> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // the same microsecond, different nanoseconds: still one position in the order
      all.add(put(recording("alice", "s" + i, T0.plusNanos(i * 100L))));
    }
    all.add(put(recording("alice", "s1", T0.plusSeconds(1))));
    List<RecordingMetadata> walked = walk(p -> list("alice", p), 2, 10);
    assertThat(walked).hasSize(8);
    assertThat(new HashSet<>(ids(walked))).containsExactlyInAnyOrderElementsOf(ids(all));
    assertThat(walked.get(0).createdAt()).isEqualTo(T0.plusSeconds(1));
    List<String> tied = ids(walked.subList(1, 8));
    // the id order is the index's (a database collation may differ from String order); it must be
    // stable
    assertThat(ids(walk(p -> list("alice", p), 3, 10)).subList(1, 8))
        .containsExactlyElementsOf(tied);
  }

  @Test
  @DisplayName("keyset paging neither repeats nor skips while recordings are added and removed")
  void pagingIsStableUnderChange() throws Exception {
    List<RecordingMetadata> all = putMany("alice", "s1", 12, T0);
    RecordingPage first = index().list("alice", PageRequest.first(4));
    // newer recordings arrive, one not yet seen is deleted
    putMany("alice", "s1", 3, T0.plusSeconds(3600));
    RecordingMetadata removed = all.get(2); // among the oldest: not on the first page
    deleted(removed);
    index().remove("alice", removed.recordingId());

    List<RecordingMetadata> seen = new ArrayList<>(first.recordings());
    String cursor = first.nextCursor();
    while (cursor != null) {
      RecordingPage next = index().list("alice", PageRequest.after(4, cursor));
      seen.addAll(next.recordings());
      cursor = next.nextCursor();
    }
    List<String> expected = new ArrayList<>(newestFirst(all));
    expected.remove(removed.recordingId());
    assertThat(ids(seen)).containsExactlyElementsOf(expected);
  }

  @Test
  @DisplayName("a changed, cut or foreign cursor fails with InvalidCursorException")
  void cursorsAreTamperEvident() throws Exception {
    putMany("alice", "s1", 5, T0);
    putMany("bob", "s1", 5, T0);
    String next = index().list("alice", PageRequest.first(2)).nextCursor();
    assertThat(next).isNotNull();
    String cursor = java.util.Objects.requireNonNull(next);
    assertThat(index().list("alice", PageRequest.after(2, cursor)).recordings()).hasSize(2);

    char c = cursor.charAt(cursor.length() / 2);
    String flipped = cursor.substring(0, cursor.length() / 2)
        + (c == 'A' ? 'B' : 'A')
        + cursor.substring(cursor.length() / 2 + 1);
    for (String bad : List.of(
        flipped,
        cursor.substring(0, cursor.length() - 3),
        cursor + "AA",
        "not a cursor!",
        "AAAA",
        "%00")) {
      assertThatThrownBy(() -> index().list("alice", PageRequest.after(2, bad)))
          .as(bad)
          .isInstanceOf(InvalidCursorException.class);
    }
    assertThatThrownBy(() -> index().list("bob", PageRequest.after(2, cursor)))
        .as("another owner's listing")
        .isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> index().list("alice", "s1", PageRequest.after(2, cursor)))
        .as("a session listing")
        .isInstanceOf(InvalidCursorException.class);
    String sessionCursor = index().list("alice", "s1", PageRequest.first(2)).nextCursor();
    assertThat(sessionCursor).isNotNull();
    assertThatThrownBy(() -> index().list("bob", "s1", PageRequest.after(2, sessionCursor)))
        .isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> index().find(RecordingQuery.all(), PageRequest.after(2, cursor)))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  @DisplayName("usage counts an owner's recordings and sums their sizes")
  void usagePerOwner() throws Exception {
    List<RecordingMetadata> alice = putMany("alice", "s1", 6, T0);
    putMany("bob", "s1", 2, T0);
    long bytes = alice.stream().mapToLong(RecordingMetadata::fileSizeBytes).sum();
    assertThat(index().usage("alice")).isEqualTo(new OwnerUsage(6, bytes));
    assertThat(index().usage("bob").recordings()).isEqualTo(2);
    assertThat(index().usage("carol")).isEqualTo(OwnerUsage.NONE);
  }

  @Test
  @DisplayName("find selects by status and age across owners, oldest first, paged")
  void findByStatusAndAge() throws Exception {
    List<RecordingMetadata> completed = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      completed.add(put(recording(i % 2 == 0 ? "alice" : "bob", "s1", T0.plusSeconds(i * 60L))));
    }
    RecordingMetadata pending = put(recording("carol", "s1", T0.minusSeconds(60)).toBuilder()
        .status(RecordingStatus.UPLOAD_PENDING)
        .build());
    RecordingMetadata active = put(recording("carol", "s2", T0).toBuilder()
        .status(RecordingStatus.RECORDING)
        .build());

    Instant cutoff = T0.plusSeconds(4 * 60L); // strictly before: the first four
    List<RecordingMetadata> old = walk(
        p -> index().find(RecordingQuery.status(RecordingStatus.COMPLETED).olderThan(cutoff), p),
        3,
        10);
    assertThat(ids(old)).containsExactlyElementsOf(ids(completed.subList(0, 4)));

    assertThat(index()
            .find(
                RecordingQuery.status(RecordingStatus.UPLOAD_PENDING, RecordingStatus.FINALIZING),
                PageRequest.first(10))
            .recordings())
        .containsExactly(pending);
    assertThat(index()
            .find(RecordingQuery.status(RecordingStatus.RECORDING), PageRequest.first(10))
            .recordings())
        .containsExactly(active);
    List<RecordingMetadata> everything = walk(p -> index().find(RecordingQuery.all(), p), 4, 10);
    assertThat(everything).hasSize(11);
    assertThat(everything.get(0)).isEqualTo(pending);
  }

  @Test
  @DisplayName("putAll indexes a batch; putting it again changes nothing")
  void putAllBatch() throws Exception {
    List<RecordingMetadata> batch = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      batch.add(recording("alice", "s" + (i % 3), T0.plusMillis(i)));
    }
    for (RecordingMetadata m : batch) {
      stored(m);
    }
    index().putAll(batch);
    index().putAll(batch);
    assertThat(index().usage("alice").recordings()).isEqualTo(300);
    assertThat(ids(walk(p -> list("alice", p), 1000, 2)))
        .containsExactlyElementsOf(newestFirst(batch));
    assertThat(index().list("alice", "s1", PageRequest.first(1000)).recordings())
        .hasSize(100);
  }

  @Test
  @DisplayName("concurrent writers and readers: every put is indexed, every page is consistent")
  void concurrentWriters() throws Exception {
    RecordingIndex shared = index();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<List<RecordingMetadata>>> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        writers.add(pool.submit(() -> {
          List<RecordingMetadata> mine = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            RecordingMetadata m =
                recording("alice", "t" + thread, T0.plusMillis(thread * 1000L + i));
            stored(m);
            shared.put(m);
            mine.add(m);
          }
          return mine;
        }));
      }
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          int pages = 0;
          for (int i = 0; i < 20; i++) {
            List<RecordingMetadata> walked = walk(p -> shared.list("alice", p), 16, 100);
            assertThat(new HashSet<>(ids(walked))).hasSameSizeAs(walked);
            pages++;
          }
          return pages;
        }));
      }
      Set<String> expected = new HashSet<>();
      for (Future<List<RecordingMetadata>> w : writers) {
        expected.addAll(ids(w.get()));
      }
      for (Future<Integer> r : readers) {
        assertThat(r.get()).isEqualTo(20);
      }
      assertThat(ids(walk(p -> shared.list("alice", p), 50, 10)))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(shared.usage("alice").recordings()).isEqualTo(160);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "the data outlives the instance: a reopened index lists the same; cursors as declared")
  void survivesReopen() throws Exception {
    List<RecordingMetadata> all = putMany("alice", "s1", 5, T0);
    RecordingMetadata gone = all.get(0);
    deleted(gone);
    index().remove("alice", gone.recordingId());
    String cursor = index().list("alice", PageRequest.first(2)).nextCursor();
    assertThat(cursor).isNotNull();
    index().close();

    RecordingIndex again = track(reopen());
    List<String> expected = newestFirst(all.subList(1, 5));
    assertThat(ids(again.list("alice", PageRequest.first(10)).recordings()))
        .containsExactlyElementsOf(expected);
    assertThat(again.get("alice", all.get(3).recordingId())).contains(all.get(3));
    assertThat(again.get("alice", gone.recordingId())).isEmpty();
    if (cursorsSurviveReopen()) {
      assertThat(ids(again.list("alice", PageRequest.after(2, cursor)).recordings()))
          .containsExactlyElementsOf(expected.subList(2, 4));
    } else {
      assertThatThrownBy(() -> again.list("alice", PageRequest.after(2, cursor)))
          .isInstanceOf(InvalidCursorException.class);
    }
  }

  @Test
  @DisplayName("page requests outside 1..1000 are programming errors")
  void pageLimits() {
    assertThatThrownBy(() -> PageRequest.first(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PageRequest.first(PageRequest.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PageRequest.first(PageRequest.MAX_LIMIT).limit()).isEqualTo(1000);
  }
}
