package dev.snapreel.ffmpeg.internal;

import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.snapreel.EncoderException;
import dev.snapreel.Snapshot;
import dev.snapreel.UnsupportedCodecException;
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
  private @Nullable RealTimeCap cap;
  private @Nullable Fallback fallback;

  /** How to reopen the encoder once if it fails on a picture (see {@link RateControl.Settings}). */
  private record Fallback(
      String encoder, Map<String, String> options, int threads, double encoderFps) {}

  private long nextPts;
  private long packets;
  private boolean finished;
  private boolean outputClosed;
  private boolean closed;

  /** Opens the encoder and writes the file header. */
  public FfmpegEncodingSession(
      EncodingSpec spec,
      Path output,
      String encoderName,
      Map<String, String> codecOptions,
      int threads) {
    this(spec, output, encoderName, codecOptions, threads, null);
  }

  /**
   * {@code codecOptions} are set on top of {@link RateControl}'s settings for the encoder (so a caller,
   * such as a benchmark, can override them); {@code rateControlFps}, when not null, overrides the frame
   * rate the encoder's rate control is told.
   */
  public FfmpegEncodingSession(
      EncodingSpec spec,
      Path output,
      String encoderName,
      Map<String, String> codecOptions,
      int threads,
      @Nullable Double rateControlFps) {
    Av.init();
    this.spec = spec;
    this.output = output;
    this.decoder = new SnapshotDecoder(spec.width(), spec.height());
    boolean ok = false;
    try {
      boolean assumesSkips = encoderName.equals("libopenh264");
      RateControl.Settings rc = RateControl.of(encoderName, spec, assumesSkips);
      Map<String, String> options = new java.util.LinkedHashMap<>(rc.options());
      options.putAll(codecOptions);
      double encoderFps = rateControlFps != null ? rateControlFps : rc.encoderFps();
      open(encoderName, options, threads, encoderFps);
      if (skips == null && encoderFps < spec.fps()) {
        // The encoder was told it only gets new snapshots but will have to encode every slot.
        releaseEncoder();
        open(encoderName, options, threads, spec.fps());
        encoderFps = spec.fps();
      }
      @Nullable Map<String, String> retry = rc.fallback();
      if (retry != null) {
        Map<String, String> f = new java.util.LinkedHashMap<>(retry);
        f.putAll(codecOptions);
        fallback = new Fallback(encoderName, f, threads, encoderFps);
      }
      cap = spec.maxBitrate() > 0 && skips != null
          ? new RealTimeCap(spec.maxBitrate(), spec.fps())
          : null;
      ok = true;
    } finally {
      if (!ok) {
        close();
      }
    }
  }

  private void open(
      String encoderName, Map<String, String> codecOptions, int threads, double encoderFps) {
    AVCodec encoder = avcodec.avcodec_find_encoder_by_name(encoderName);
    if (encoder == null || encoder.isNull()) {
      throw new UnsupportedCodecException("FFmpeg encoder " + encoderName + " is not available");
    }
    format = new AVFormatContext(null);
    outputClosed =
        false; // a reopened encoder (releaseEncoder, then open) has a new output to close
    Av.check(
        avformat.avformat_alloc_output_context2(format, null, "mp4", output.toString()),
        "creating the MP4 muxer");
    stream = avformat.avformat_new_stream(format, null);
    codec = openEncoder(
        encoder,
        codecOptions,
        threads,
        encoderFps,
        (format.oformat().flags() & AVFMT_GLOBALHEADER) != 0);
    AVRational rate = avutil.av_d2q(spec.fps(), 100_000);
    skips = skipPictures(encoder, codec);
    if (skips != null && encoderFps < spec.fps()) {
      // openh264 chose the level for the rate it was told; the stream has the grid's rate.
      H264Level.raise(
          codec.extradata(),
          codec.extradata_size(),
          spec.width(),
          spec.height(),
          spec.fps(),
          Math.max(spec.maxBitrate(), 1));
    }
    Av.check(
        avcodec.avcodec_parameters_from_context(stream.codecpar(), codec),
        "configuring the stream");
    stream.time_base(codec.time_base());
    stream.avg_frame_rate(rate);
    stream.r_frame_rate(rate);
    openMuxer();
  }

  private AVCodecContext openEncoder(
      AVCodec encoder,
      Map<String, String> codecOptions,
      int threads,
      double encoderFps,
      boolean globalHeader) {
    AVCodecContext codec = avcodec.avcodec_alloc_context3(encoder);
    AVRational rate = avutil.av_d2q(spec.fps(), 100_000);
    codec.width(spec.width());
    codec.height(spec.height());
    codec.pix_fmt(AV_PIX_FMT_YUV420P);
    codec.time_base(avutil.av_inv_q(rate));
    // libopenh264 reads its rate control's clock from here (it gets no timestamps): the rate at
    // which
    // pictures reach it, which with skip pictures is the snapshot rate, not the output grid's.
    codec.framerate(avutil.av_d2q(encoderFps, 100_000));
    codec.gop_size(spec.gopFrames());
    codec.max_b_frames(0); // no reordering delay: each packet is written as soon as its frame is
    codec.thread_count(threads);
    codec.color_range(avutil.AVCOL_RANGE_MPEG);
    if (globalHeader) {
      codec.flags(codec.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary options = new AVDictionary(null);
    try {
      for (Map.Entry<String, String> e : codecOptions.entrySet()) {
        avutil.av_dict_set(options, e.getKey(), e.getValue(), 0);
      }
      int r = avcodec.avcodec_open2(codec, encoder, options);
      if (r < 0) {
        avcodec.avcodec_free_context(codec);
        Av.check(r, "opening encoder " + encoder.name().getString());
      }
    } finally {
      avutil.av_dict_free(options);
    }
    return codec;
  }

  private void openMuxer() {
    AVIOContext pb = new AVIOContext(null);
    Av.check(
        avformat.avio_open(pb, output.toString(), AVIO_FLAG_WRITE),
        "creating " + output.getFileName());
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

  /** The encoder's parameter sets as it wrote them (for H.264, SPS and PPS in Annex B). */
  byte[] extradata() {
    return extradata(codec);
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
    if (skips != null
        && !keyframe
        && skips.hasReference()
        && (duplicate || (cap != null && !cap.allowsPicture(slot)))) {
      writeSkip(skips.next(), slot);
      return;
    }
    AVFrame f = yuv.frame();
    f.pts(slot);
    f.pict_type(keyframe ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
    if ((codec.flags() & avcodec.AV_CODEC_FLAG_QSCALE) != 0) {
      f.quality(
          codec
              .global_quality()); // fixed quantiser: libavcodec reads it per frame, as ffmpeg's CLI
      // sets it
    }
    int r = avcodec.avcodec_send_frame(codec, f);
    if (r < 0 && fallback != null) {
      reopen(fallback);
      fallback = null;
      f.pict_type(avutil.AV_PICTURE_TYPE_I); // the new encoder starts with an IDR picture anyway
      r = avcodec.avcodec_send_frame(codec, f);
    }
    Av.check(r, "encoding a frame");
    drain();
  }

  /** Replaces the failed encoder; the stream goes on (same parameter sets, an IDR picture next). */
  private void reopen(Fallback f) {
    AVCodec encoder = avcodec.avcodec_find_encoder_by_name(f.encoder());
    byte[] before = extradata(codec);
    avcodec.avcodec_free_context(codec);
    codec = openEncoder(encoder, f.options(), f.threads(), f.encoderFps(), true);
    if (!sameExceptOneByte(before, extradata(codec))) { // at most the SPS' level_idc may differ
      throw new EncoderException(
          "the reopened encoder writes different parameter sets; the stream cannot go on");
    }
  }

  private static byte[] extradata(AVCodecContext c) {
    byte[] b = new byte[Math.max(0, c.extradata_size())];
    if (b.length > 0) {
      c.extradata().get(b);
    }
    return b;
  }

  private static boolean sameExceptOneByte(byte[] a, byte[] b) {
    if (a.length != b.length) {
      return false;
    }
    int differences = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        differences++;
      }
    }
    return differences <= 1;
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
        Av.check(
            avcodec.av_grow_packet(packet, renumbered.length - data.length), "growing a packet");
      } else {
        avcodec.av_shrink_packet(packet, renumbered.length);
      }
      packet.data().put(renumbered);
    }
  }

  private void send() {
    if (cap != null) {
      cap.wrote(packet.size());
    }
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

  private void releaseEncoder() {
    closeOutput();
    if (codec != null && !codec.isNull()) {
      avcodec.avcodec_free_context(codec); // sets the context's address to NULL: freed once
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    releaseEncoder();
    avcodec.av_packet_free(packet);
    decoder.close();
  }
}
