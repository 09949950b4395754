package dev.snapreel.opencv;

import static java.util.Objects.requireNonNull;

import dev.snapreel.EncoderException;
import dev.snapreel.opencv.internal.OpenCvSession;
import dev.snapreel.opencv.internal.WriterCodecs;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import java.nio.file.Path;

/**
 * Encodes with OpenCV's {@code VideoWriter}; decodes snapshots with {@code imdecode} and letterboxes
 * them with {@code resize}. Pacing, metadata and storage stay in the core: this sink only encodes.
 *
 * <p>Codecs: {@code mp4v}/{@code mpeg4} (fourcc {@code mp4v}, MPEG-4 Part 2: the specification's
 * original default, <em>not</em> playable in browsers) and {@code h264}/{@code avc1} (fourcc {@code
 * avc1}, then {@code H264}). Whether the OpenCV build can write a codec is probed once per codec by
 * opening a tiny writer; if it cannot, {@link #validate} throws an {@link EncoderException} naming
 * the codec. There is no fallback to another codec.
 *
 * <p>Note: the stock {@code org.bytedeco:opencv} build has no FFmpeg or GStreamer video backend, so
 * it writes neither codec to MP4 unless OpenCV's FFmpeg videoio plugin ({@code
 * libopencv_videoio_ffmpeg*.so}) is found on {@code OPENCV_VIDEOIO_PLUGIN_PATH}. The repository's
 * {@code recording-opencv/src/plugin/build-ffmpeg-plugin.sh} builds one from OpenCV's source against
 * the system FFmpeg (its tests use it); the plugin's FFmpeg then decides the encoders: its native
 * {@code mpeg4} for mp4v, and for h264 its first H.264 encoder, libx264 (GPL) with Debian's FFmpeg.
 * The FFmpeg sink has no such requirement.
 *
 * <p>Not crash-safe: {@code VideoWriter} writes a plain MP4 whose index ({@code moov}) is written
 * only when the writer is released, so the file of a killed process cannot be played or recovered;
 * {@link #recover} always throws. For the same reason the finished file has {@code moov} after
 * {@code mdat} (it plays only once fully downloaded). Quality and keyframe interval are not
 * adjustable through {@code VideoWriter}'s FFmpeg backend and are ignored.
 *
 * <p>Stateless and thread-safe; each recording gets its own {@code VideoWriter}.
 *
 * @since 0.1.0
 */
public final class OpenCvSink implements FrameSink {
  private final WriterCodecs codecs;

  private OpenCvSink(WriterCodecs codecs) {
    this.codecs = codecs;
  }

  /** A sink sharing the process-wide codec probe cache. */
  public static OpenCvSink create() {
    return new OpenCvSink(WriterCodecs.shared());
  }

  @Override
  public String name() {
    return "opencv";
  }

  /**
   * Returns {@code mpeg4} or {@code h264} (the codec FFmpeg reports for the file) once the OpenCV
   * build has been seen to open a writer for it.
   *
   * @throws EncoderException for an unknown codec or one this OpenCV build cannot write
   */
  @Override
  public String validate(EncodingSpec spec) {
    requireNonNull(spec, "spec");
    return codecs.require(spec.codec()).codecName();
  }

  @Override
  public EncodingSession open(EncodingSpec spec, Path output) {
    requireNonNull(spec, "spec");
    requireNonNull(output, "output");
    return OpenCvSession.open(codecs.require(spec.codec()), spec, output);
  }

  /** Always throws: a plain MP4 cut short has no index to play it by. */
  @Override
  public long recover(Path partial, Path target, EncodingSpec spec) {
    throw new EncoderException(
        "opencv sink cannot recover " + partial.getFileName()
            + ": VideoWriter writes a plain MP4 whose index is only written at the end (not crash-safe)");
  }

  @Override
  public boolean crashSafe() {
    return false;
  }

  @Override
  public String toString() {
    return "OpenCvSink";
  }
}
