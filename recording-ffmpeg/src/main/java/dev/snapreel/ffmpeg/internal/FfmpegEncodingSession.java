package dev.snapreel.ffmpeg.internal;

import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.snapreel.EncoderException;
import dev.snapreel.UnsupportedCodecException;
import dev.snapreel.Snapshot;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.PreparedFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.jspecify.annotations.Nullable;

/**
 * One recording's encoder: libavcodec into a fragmented MP4 ({@code frag_keyframe+empty_moov}, each
 * packet flushed) so a killed process leaves a playable file; {@link #finish} remuxes it into a plain
 * MP4 with {@code moov} first.
 */
public final class FfmpegEncodingSession implements EncodingSession {
  private final EncodingSpec spec;
  private final Path output;
  private final SnapshotDecoder decoder;
  private AVFormatContext format;
  private AVCodecContext codec;
  private AVStream stream;
  private final AVPacket packet = avcodec.av_packet_alloc();
  private @Nullable H264SkipPictures skips;
  private long nextPts;
  private long packets;
  private boolean finished;
  private boolean outputClosed;
  private boolean closed;

  /** Opens the encoder and writes the file header. */
  public FfmpegEncodingSession(EncodingSpec spec, Path output, String encoderName, Map<String, String> codecOptions, int threads) {
    Av.init();
    this.spec = spec;
    this.output = output;
    this.decoder = new SnapshotDecoder(spec.width(), spec.height());
    boolean ok = false;
    try {
      open(encoderName, codecOptions, threads);
      ok = true;
    } finally {
      if (!ok) {
        close();
      }
    }
  }

  private void open(String encoderName, Map<String, String> codecOptions, int threads) {
    AVCodec encoder = avcodec.avcodec_find_encoder_by_name(encoderName);
    if (encoder == null || encoder.isNull()) {
      throw new UnsupportedCodecException("FFmpeg encoder " + encoderName + " is not available");
    }
    format = new AVFormatContext(null);
    Av.check(avformat.avformat_alloc_output_context2(format, null, "mp4", output.toString()), "creating the MP4 muxer");
    stream = avformat.avformat_new_stream(format, null);
    codec = avcodec.avcodec_alloc_context3(encoder);
    AVRational rate = avutil.av_d2q(spec.fps(), 100_000);
    codec.width(spec.width());
    codec.height(spec.height());
    codec.pix_fmt(AV_PIX_FMT_YUV420P);
    codec.time_base(avutil.av_inv_q(rate));
    codec.framerate(rate);
    codec.gop_size(spec.gopFrames());
    codec.max_b_frames(0); // no reordering delay: each packet is written as soon as its frame is
    codec.bit_rate(bitrate(spec));
    codec.thread_count(threads);
    codec.color_range(avutil.AVCOL_RANGE_MPEG);
    if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      codec.flags(codec.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary options = new AVDictionary(null);
    try {
      for (Map.Entry<String, String> e : codecOptions.entrySet()) {
        avutil.av_dict_set(options, e.getKey(), e.getValue(), 0);
      }
      Av.check(avcodec.avcodec_open2(codec, encoder, options), "opening encoder " + encoderName);
    } finally {
      avutil.av_dict_free(options);
    }
    Av.check(avcodec.avcodec_parameters_from_context(stream.codecpar(), codec), "configuring the stream");
    skips = skipPictures(encoder, codec);
    stream.time_base(codec.time_base());
    stream.avg_frame_rate(rate);
    stream.r_frame_rate(rate);

    AVIOContext pb = new AVIOContext(null);
    Av.check(avformat.avio_open(pb, output.toString(), AVIO_FLAG_WRITE), "creating " + output.getFileName());
    format.pb(pb);
    AVDictionary muxer = new AVDictionary(null);
    try {
      // Fragment at each keyframe and at least every second, flushing each: a crash loses < 1 s.
      avutil.av_dict_set(muxer, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
      avutil.av_dict_set(muxer, "frag_duration", "1000000", 0);
      avutil.av_dict_set(muxer, "flush_packets", "1", 0);
      Av.check(avformat.avformat_write_header(format, muxer), "writing the MP4 header");
    } finally {
      avutil.av_dict_free(muxer);
    }
  }

  /**
   * Bitrate target from quality: bits per pixel per frame rising with the square of quality, from
   * 0.01 (q=1) to 0.1 (q=100). q=95 at 1280x720@30 is about 2.5 Mbit/s.
   */
  static long bitrate(EncodingSpec spec) {
    double q = spec.quality() / 100.0;
    double bitsPerPixel = 0.01 + 0.09 * q * q;
    return Math.max(100_000L, Math.round(spec.width() * (double) spec.height() * spec.fps() * bitsPerPixel));
  }

  /**
   * Skip pictures for duplicates when the encoder emits each packet at once (no delay, so packets
   * stay in slot order) and its H.264 parameters allow them; otherwise duplicates are encoded.
   */
  private static @Nullable H264SkipPictures skipPictures(AVCodec encoder, AVCodecContext codec) {
    if (codec.codec_id() != avcodec.AV_CODEC_ID_H264
        || (encoder.capabilities() & avcodec.AV_CODEC_CAP_DELAY) != 0
        || codec.extradata() == null
        || codec.extradata_size() <= 0) {
      return null;
    }
    byte[] extradata = new byte[codec.extradata_size()];
    codec.extradata().get(extradata);
    return H264SkipPictures.of(extradata).orElse(null);
  }

  /** Whether duplicated slots are written as skip pictures rather than encoded again. */
  public boolean skipsDuplicates() {
    return skips != null;
  }

  @Override
  public PreparedFrame prepare(Snapshot snapshot) {
    return decoder.decode(snapshot);
  }

  @Override
  public void write(PreparedFrame frame, boolean duplicate) {
    if (!(frame instanceof YuvFrame yuv)) {
      throw new IllegalArgumentException("frame was not prepared by this session");
    }
    long slot = nextPts++;
    // Keyframes on the output grid (every GOP), not every n-th frame the encoder happens to see.
    boolean keyframe = slot % spec.gopFrames() == 0;
    if (duplicate && !keyframe && skips != null && skips.hasReference()) {
      writeSkip(skips.next(), slot);
      return;
    }
    AVFrame f = yuv.frame();
    f.pts(slot);
    f.pict_type(keyframe ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
    Av.check(avcodec.avcodec_send_frame(codec, f), "encoding a frame");
    drain();
  }

  private void writeSkip(byte[] accessUnit, long slot) {
    Av.check(avcodec.av_new_packet(packet, accessUnit.length), "allocating a packet");
    packet.data().put(accessUnit);
    packet.pts(slot);
    packet.dts(slot);
    packet.duration(1);
    send();
  }

  private void drain() {
    while (true) {
      int r = avcodec.avcodec_receive_packet(codec, packet);
      if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) {
        return;
      }
      Av.check(r, "encoding");
      if (skips != null) {
        renumber();
      }
      send();
    }
  }

  /** Continues the encoder's frame numbers after the skip pictures (see {@link H264SkipPictures}). */
  private void renumber() {
    byte[] data = new byte[packet.size()];
    packet.data().get(data);
    byte[] renumbered = java.util.Objects.requireNonNull(skips).renumber(data);
    if (renumbered != data) {
      Av.check(avcodec.av_packet_make_writable(packet), "copying a packet");
      if (renumbered.length > data.length) {
        Av.check(avcodec.av_grow_packet(packet, renumbered.length - data.length), "growing a packet");
      } else {
        avcodec.av_shrink_packet(packet, renumbered.length);
      }
      packet.data().put(renumbered);
    }
  }

  private void send() {
    packet.stream_index(stream.index());
    avcodec.av_packet_rescale_ts(packet, codec.time_base(), stream.time_base());
    int w = avformat.av_interleaved_write_frame(format, packet); // takes the packet's reference
    Av.check(w, "writing to " + output.getFileName());
    packets++;
  }

  @Override
  public long finish(Path target) {
    if (finished) {
      throw new IllegalStateException("already finished");
    }
    finished = true;
    Av.check(avcodec.avcodec_send_frame(codec, (AVFrame) null), "flushing the encoder");
    drain();
    Av.check(avformat.av_write_trailer(format), "finalizing " + output.getFileName());
    closeOutput();
    if (packets == 0) {
      // Nothing to remux: keep the (valid, empty) fragmented file as the result.
      try {
        Files.copy(output, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new EncoderException("cannot write " + target + ": " + e, e);
      }
      return 0;
    }
    return Mp4Remuxer.remux(output, target);
  }

  private void closeOutput() {
    if (outputClosed) {
      return;
    }
    outputClosed = true;
    if (format != null && !format.isNull()) {
      if (format.pb() != null && !format.pb().isNull()) {
        avformat.avio_closep(format.pb());
      }
      avformat.avformat_free_context(format);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeOutput();
    if (codec != null && !codec.isNull()) {
      avcodec.avcodec_free_context(codec);
    }
    avcodec.av_packet_free(packet);
    decoder.close();
  }
}
