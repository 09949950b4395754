package dev.snapreel.opencv.internal;

import dev.snapreel.sink.PreparedFrame;
import org.bytedeco.opencv.opencv_core.Mat;

/** A decoded, letterboxed BGR frame in native memory; {@link #close()} frees it. */
final class OpenCvFrame implements PreparedFrame {
  private final OpenCvSession owner;
  private final Mat mat;
  private boolean closed;

  OpenCvFrame(OpenCvSession owner, Mat mat) {
    this.owner = owner;
    this.mat = mat;
  }

  OpenCvSession owner() {
    return owner;
  }

  Mat mat() {
    if (closed) {
      throw new IllegalStateException("prepared frame was already closed");
    }
    return mat;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      mat.close(); // releases the pixels now rather than whenever the GC runs
    }
  }
}
