package dev.snapreel.ffmpeg.internal;

import dev.snapreel.sink.PreparedFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.jspecify.annotations.Nullable;

/**
 * A decoded snapshot at the recording's size in yuv420p, in a reference-counted AVFrame: the
 * encoder takes references instead of copies, so repeating it for duplicate slots costs no copy.
 */
final class YuvFrame implements PreparedFrame {
  private @Nullable AVFrame frame;

  YuvFrame(AVFrame frame) {
    this.frame = frame;
  }

  AVFrame frame() {
    AVFrame f = frame;
    if (f == null || f.isNull()) {
      throw new IllegalStateException("frame already released");
    }
    return f;
  }

  @Override
  public void close() {
    AVFrame f = frame;
    if (f != null && !f.isNull()) {
      avutil.av_frame_free(f);
    }
    frame = null;
  }
}
