package dev.snapreel;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * A test encoder without native code: its "video" has one line per output slot, {@code ID WxH new|dup},
 * where ID identifies the source snapshot ({@link #idOf}). {@code prepare} really decodes JPEG/PNG with
 * ImageIO, so corrupt images are rejected as by a real sink; {@code finish} copies the working file to
 * the target and {@code recover} copies a partial one, so crash recovery can be exercised.
 */
public final class RecordingFrameSink implements FrameSink {
  /** Codec name whose validation fails, as for a codec missing from a native build. */
  public static final String UNAVAILABLE_CODEC = "unavailable";

  private final AtomicInteger openFrames = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private volatile int failWritesOfWidth = -1;
  private volatile boolean failRecovery;
  private volatile long openDelayMillis;
  private volatile @Nullable CountDownLatch prepareEntered;
  private volatile @Nullable CountDownLatch prepareRelease;

  /** The id a snapshot's line carries: the first 12 hex digits of the SHA-256 of its bytes. */
  public static String idOf(byte[] snapshotBytes) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(snapshotBytes))
          .substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every write of a frame this wide fails, like an encoder error. */
  /** Makes every {@code open} take this long, like a slow encoder initialisation. */
  public RecordingFrameSink slowOpen(java.time.Duration delay) {
    this.openDelayMillis = delay.toMillis();
    return this;
  }

  /** Makes {@code recover} fail (an unrecoverable partial file) until switched back. */
  public RecordingFrameSink failRecovery(boolean fail) {
    this.failRecovery = fail;
    return this;
  }

  public RecordingFrameSink failWritesOfWidth(int width) {
    this.failWritesOfWidth = width;
    return this;
  }

  /** The next {@code prepare} counts {@code entered} down and then waits for {@code release}. */
  public RecordingFrameSink blockNextPrepare(CountDownLatch entered, CountDownLatch release) {
    this.prepareEntered = entered;
    this.prepareRelease = release;
    return this;
  }

  /** Prepared frames not closed yet: the core must close each exactly once. */
  public int openFrames() {
    return openFrames.get();
  }

  public int sessionsOpened() {
    return sessions.get();
  }

  /** The lines of a file this sink wrote. */
  public static List<String> lines(Path video) {
    try {
      return Files.readAllLines(video, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return "recording-test";
  }

  @Override
  public String validate(EncodingSpec spec) {
    if (spec.codec().equals(UNAVAILABLE_CODEC)) {
      throw new UnsupportedCodecException("codec " + spec.codec() + " is not available");
    }
    return spec.codec();
  }

  @Override
  public EncodingSession open(EncodingSpec spec, Path output) {
    if (openDelayMillis > 0) {
      try {
        Thread.sleep(openDelayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Writer writer =
          Files.newBufferedWriter(output, UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
      sessions.incrementAndGet();
      return new Session(output, writer);
    } catch (IOException e) {
      throw new EncoderException("cannot open " + output + ": " + e, e);
    }
  }

  @Override
  public long recover(Path partial, Path target, EncodingSpec spec) {
    if (failRecovery) {
      throw new EncoderException(
          "cannot recover " + partial.getFileName() + ": switched off by the test");
    }
    try {
      Files.copy(partial, target, StandardCopyOption.REPLACE_EXISTING);
      return lines(target).size();
    } catch (IOException e) {
      throw new EncoderException("cannot recover " + partial + ": " + e, e);
    }
  }

  @Override
  public boolean crashSafe() {
    return true;
  }

  private final class Frame implements PreparedFrame {
    final String id;
    final int width;
    final int height;
    private final AtomicInteger closes = new AtomicInteger();

    Frame(String id, int width, int height) {
      this.id = id;
      this.width = width;
      this.height = height;
      openFrames.incrementAndGet();
    }

    @Override
    public void close() {
      if (closes.incrementAndGet() != 1) {
        throw new AssertionError("frame " + id + " closed twice");
      }
      openFrames.decrementAndGet();
    }
  }

  private final class Session implements EncodingSession {
    private final Path output;
    private final Writer writer;
    private boolean closed;

    Session(Path output, Writer writer) {
      this.output = output;
      this.writer = writer;
    }

    @Override
    public PreparedFrame prepare(Snapshot snapshot) {
      CountDownLatch entered = prepareEntered;
      CountDownLatch release = prepareRelease;
      if (entered != null && release != null) {
        prepareEntered = null;
        prepareRelease = null;
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      if (snapshot.kind() != Snapshot.Kind.RAW) {
        BufferedImage image;
        try {
          image = ImageIO.read(new ByteArrayInputStream(snapshot.data()));
        } catch (IOException | RuntimeException e) {
          throw new InvalidFrameException("cannot decode " + snapshot + ": " + e.getMessage(), e);
        }
        if (image == null) {
          throw new InvalidFrameException("no decoder for " + snapshot);
        }
      }
      return new Frame(idOf(snapshot.data()), snapshot.width(), snapshot.height());
    }

    @Override
    public void write(PreparedFrame prepared, boolean duplicate) {
      Frame frame = (Frame) prepared;
      if (frame.width == failWritesOfWidth) {
        throw new EncoderException("test encoder failed on a " + frame.width + " pixel wide frame");
      }
      try {
        writer.write(frame.id + " " + frame.width + "x" + frame.height
            + (duplicate ? " dup" : " new") + "\n");
        writer.flush(); // each slot reaches the partial file at once, as fragmented MP4 would
      } catch (IOException e) {
        throw new EncoderException("cannot write " + output + ": " + e, e);
      }
    }

    @Override
    public long finish(Path target) {
      close();
      try {
        Files.copy(output, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new EncoderException("cannot finish " + target + ": " + e, e);
      }
      return lines(target).size();
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
