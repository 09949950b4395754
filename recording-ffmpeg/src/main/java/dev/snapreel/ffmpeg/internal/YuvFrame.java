package dev.snapreel.ffmpeg.internal;

import dev.snapreel.sink.PreparedFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * A decoded snapshot at the recording's size in yuv420p, in a reference-counted AVFrame: the
 * encoder takes references instead of copies, so repeating it for duplicate slots costs no copy.
 */
final class YuvFrame implements PreparedFrame {
  private AVFrame frame;

  YuvFrame(AVFrame frame) {
    this.frame = frame;
  }

  AVFrame frame() {
    if (frame == null || frame.isNull()) {
      throw new IllegalStateException("frame already released");
    }
    return frame;
  }

  @Override
  public void close() {
    if (frame != null && !frame.isNull()) {
      avutil.av_frame_free(frame);
    }
    frame = null;
  }
}
