package dev.snapreel.ffmpeg.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.snapreel.InvalidFrameException;
import dev.snapreel.PixelFormat;
import dev.snapreel.Snapshot;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.jspecify.annotations.Nullable;

/**
 * Decodes JPEG/PNG with FFmpeg's own decoders (no BufferedImage round trip) and converts straight
 * to the recording's yuv420p size in one swscale pass, scaled to fit with the aspect kept and
 * letterboxed in black. One per encoding session, used from its writer thread only.
 */
final class SnapshotDecoder implements AutoCloseable {
  /** libavutil's AV_FRAME_FLAG_CORRUPT (a macro the bindings do not expose). */
  private static final int AV_FRAME_FLAG_CORRUPT = 1;

  private final int width;
  private final int height;
  private @Nullable AVCodecContext jpeg;
  private @Nullable AVCodecContext png;
  private final AVPacket packet = avcodec.av_packet_alloc();
  private final AVFrame decoded = avutil.av_frame_alloc();
  private @Nullable SwsContext sws;

  SnapshotDecoder(int width, int height) {
    Av.init();
    this.width = width;
    this.height = height;
  }

  YuvFrame decode(Snapshot snapshot) {
    switch (snapshot.kind()) {
      case JPEG:
        decodeWith(jpeg(), snapshot);
        return convert(
            decoded.width(),
            decoded.height(),
            decoded.format(),
            decoded.data(),
            decoded.linesize());
      case PNG:
        decodeWith(png(), snapshot);
        return convert(
            decoded.width(),
            decoded.height(),
            decoded.format(),
            decoded.data(),
            decoded.linesize());
      case RAW:
      default:
        return convertRaw(snapshot);
    }
  }

  private void decodeWith(AVCodecContext ctx, Snapshot snapshot) {
    byte[] bytes = snapshot.data();
    avutil.av_frame_unref(decoded);
    Av.check(avcodec.av_new_packet(packet, bytes.length), "allocating a packet");
    try {
      packet.data().put(bytes, 0, bytes.length);
      int sent = avcodec.avcodec_send_packet(ctx, packet);
      int received = sent < 0 ? sent : avcodec.avcodec_receive_frame(ctx, decoded);
      if (sent < 0 || received < 0) {
        avcodec.avcodec_flush_buffers(ctx);
        throw new InvalidFrameException("undecodable " + snapshot.kind() + " snapshot ("
            + bytes.length + " bytes): " + Av.error(sent < 0 ? sent : received));
      }
      boolean corrupt =
          (decoded.flags() & AV_FRAME_FLAG_CORRUPT) != 0 || decoded.decode_error_flags() != 0;
      if (corrupt || decoded.width() <= 0 || decoded.height() <= 0) {
        avcodec.avcodec_flush_buffers(ctx);
        throw new InvalidFrameException("corrupt " + snapshot.kind() + " snapshot (" + bytes.length
            + " bytes): decoder reported errors");
      }
    } finally {
      avcodec.av_packet_unref(packet);
    }
  }

  private YuvFrame convertRaw(Snapshot snapshot) {
    PixelFormat format = snapshot.pixelFormat();
    int pixFmt = format == PixelFormat.BGR24
        ? AV_PIX_FMT_BGR24
        : format == PixelFormat.RGB24 ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_GRAY8;
    byte[] pixels = snapshot.data();
    try (BytePointer buffer = new BytePointer(pixels.length);
        PointerPointer<BytePointer> planes = new PointerPointer<>(4);
        IntPointer strides = new IntPointer(4)) {
      buffer.put(pixels, 0, pixels.length);
      planes.put(0, buffer);
      strides.put(0, snapshot.width() * (format == null ? 1 : format.bytesPerPixel()));
      return convert(snapshot.width(), snapshot.height(), pixFmt, planes, strides);
    }
  }

  private YuvFrame convert(
      int srcW, int srcH, int srcFormat, PointerPointer<?> srcData, IntPointer srcStride) {
    // Fit inside the target keeping the aspect ratio; even sizes and offsets for 4:2:0 chroma.
    double scale = Math.min((double) width / srcW, (double) height / srcH);
    int dw = Math.min(width, Math.max(2, (int) Math.round(srcW * scale) & ~1));
    int dh = Math.min(height, Math.max(2, (int) Math.round(srcH * scale) & ~1));
    int x = ((width - dw) / 2) & ~1;
    int y = ((height - dh) / 2) & ~1;

    AVFrame out = avutil.av_frame_alloc();
    boolean ok = false;
    try {
      out.format(AV_PIX_FMT_YUV420P);
      out.width(width);
      out.height(height);
      out.color_range(AVCOL_RANGE_MPEG);
      Av.check(avutil.av_frame_get_buffer(out, 0), "allocating a frame");
      if (dw != width || dh != height) {
        try (SizeTPointer lines = new SizeTPointer(4)) {
          for (int i = 0; i < 4; i++) {
            lines.put(i, out.linesize(i));
          }
          avutil.av_image_fill_black(
              out.data(), lines, AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, width, height);
        }
      }
      int flags = (dw < srcW || dh < srcH) ? swscale.SWS_AREA : swscale.SWS_BILINEAR;
      sws = swscale.sws_getCachedContext(
          sws, srcW, srcH, srcFormat, dw, dh, AV_PIX_FMT_YUV420P, flags, null, null, (DoublePointer)
              null);
      if (sws == null || sws.isNull()) {
        throw new InvalidFrameException(
            "cannot convert a " + srcW + "x" + srcH + " snapshot (pixel format " + srcFormat + ")");
      }
      try (PointerPointer<BytePointer> dst = new PointerPointer<>(4)) {
        dst.put(0, out.data(0).getPointer((long) y * out.linesize(0) + x));
        dst.put(1, out.data(1).getPointer((long) (y / 2) * out.linesize(1) + x / 2));
        dst.put(2, out.data(2).getPointer((long) (y / 2) * out.linesize(2) + x / 2));
        int rows = swscale.sws_scale(sws, srcData, srcStride, 0, srcH, dst, out.linesize());
        if (rows <= 0) {
          throw new InvalidFrameException("converting the snapshot failed: " + Av.error(rows));
        }
      }
      ok = true;
      return new YuvFrame(out);
    } finally {
      if (!ok) {
        avutil.av_frame_free(out);
      }
    }
  }

  private AVCodecContext jpeg() {
    if (jpeg == null) {
      jpeg = openDecoder(AV_CODEC_ID_MJPEG);
    }
    return jpeg;
  }

  private AVCodecContext png() {
    if (png == null) {
      png = openDecoder(AV_CODEC_ID_PNG);
    }
    return png;
  }

  private static AVCodecContext openDecoder(int codecId) {
    AVCodec codec = avcodec.avcodec_find_decoder(codecId);
    if (codec == null || codec.isNull()) {
      throw new dev.snapreel.EncoderException(
          "this FFmpeg build has no decoder for codec id " + codecId);
    }
    AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
    ctx.thread_count(1);
    // Report damaged images as errors instead of concealing them: a corrupt snapshot is rejected.
    ctx.err_recognition(avcodec.AV_EF_CRCCHECK
        | avcodec.AV_EF_BITSTREAM
        | avcodec.AV_EF_BUFFER
        | avcodec.AV_EF_EXPLODE);
    Av.check(avcodec.avcodec_open2(ctx, codec, (AVDictionary) null), "opening the image decoder");
    return ctx;
  }

  @Override
  public void close() {
    if (jpeg != null) {
      avcodec.avcodec_free_context(jpeg);
      jpeg = null;
    }
    if (png != null) {
      avcodec.avcodec_free_context(png);
      png = null;
    }
    avutil.av_frame_free(decoded);
    avcodec.av_packet_free(packet);
    if (sws != null) {
      swscale.sws_freeContext(sws);
      sws = null;
    }
  }
}
