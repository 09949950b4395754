package dev.snapreel.opencv.internal;

import static java.util.Objects.requireNonNull;

import dev.snapreel.EncoderException;
import dev.snapreel.Snapshot;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.PreparedFrame;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_videoio.VideoWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording on one {@link VideoWriter}. Each snapshot is decoded and letterboxed once in {@link
 * #prepare}; {@link #write} hands the same Mat to the writer once per output slot. Single-threaded,
 * like every {@link EncodingSession}.
 */
public final class OpenCvSession implements EncodingSession {
  private static final Logger log = LoggerFactory.getLogger(OpenCvSession.class);

  private final WriterCodecs.Writable codec;
  private final EncodingSpec spec;
  private final Path output;
  private final VideoWriter writer;
  private final Letterbox letterbox;
  private long frames;
  private boolean finished;
  private boolean closed;

  private OpenCvSession(
      WriterCodecs.Writable codec, EncodingSpec spec, Path output, VideoWriter writer) {
    this.codec = codec;
    this.spec = spec;
    this.output = output;
    this.writer = writer;
    this.letterbox = new Letterbox(spec.width(), spec.height());
  }

  /** Opens a writer for {@code output} with the probed fourcc and backend. */
  public static OpenCvSession open(WriterCodecs.Writable codec, EncodingSpec spec, Path output) {
    requireNonNull(codec, "codec");
    requireNonNull(spec, "spec");
    requireNonNull(output, "output");
    if (Files.exists(output)) {
      throw new EncoderException("output " + output + " already exists");
    }
    VideoWriter writer = new VideoWriter();
    boolean opened;
    try (Size size = new Size(spec.width(), spec.height())) {
      opened = writer.open(
          output.toString(), codec.backend(), codec.fourccCode(), spec.fps(), size, true);
    } catch (RuntimeException e) {
      writer.close();
      throw new EncoderException(
          "OpenCV VideoWriter failed to open " + output + ": " + e.getMessage(), e);
    }
    if (!opened) {
      writer.close();
      throw new EncoderException(
          "OpenCV VideoWriter could not open " + output + " for " + codec.fourcc() + " "
              + spec.width() + "x" + spec.height() + " at " + spec.fps() + " fps");
    }
    return new OpenCvSession(codec, spec, output, writer);
  }

  @Override
  public PreparedFrame prepare(Snapshot snapshot) {
    requireNonNull(snapshot, "snapshot");
    checkOpen();
    return new OpenCvFrame(this, letterbox.toFrame(snapshot));
  }

  @Override
  public void write(PreparedFrame frame, boolean duplicate) {
    requireNonNull(frame, "frame");
    checkOpen();
    if (!(frame instanceof OpenCvFrame f) || f.owner() != this) {
      throw new IllegalArgumentException("frame was not prepared by this session");
    }
    Mat mat = f.mat(); // throws if the frame was already closed
    // A duplicate is the same Mat written again: VideoWriter encodes each call as one frame.
    try {
      writer.write(mat);
    } catch (RuntimeException e) {
      throw new EncoderException(
          "OpenCV VideoWriter failed on frame " + frames + ": " + e.getMessage(), e);
    }
    frames++;
  }

  @Override
  public long finish(Path target) {
    requireNonNull(target, "target");
    checkOpen();
    finished = true;
    writer.release(); // flushes the encoder and writes the MP4 index
    writer.close();
    closed = true;
    try {
      try {
        Files.move(
            output, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(output, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new EncoderException("cannot move " + output + " to " + target + ": " + e, e);
    }
    log.debug(
        "opencv {} ({}) wrote {} frames of {}x{} to {}",
        codec.fourcc(),
        codec.codecName(),
        frames,
        spec.width(),
        spec.height(),
        target);
    return frames;
  }

  /** Before {@link #finish}: releases the writer and deletes the output, which has no index yet. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.release();
    } finally {
      writer.close();
    }
    if (!finished) {
      try {
        Files.deleteIfExists(output);
      } catch (IOException e) {
        log.warn("cannot delete abandoned {}: {}", output, e.toString());
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("encoding session is " + (finished ? "finished" : "closed"));
    }
  }
}
