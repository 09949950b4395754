package dev.snapreel.ffmpeg.internal;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * Decodes every packet of a video with FFmpeg's decoder set to fail on any bitstream error
 * ({@code AV_EF_EXPLODE} and friends), collecting the decoder's warnings, each packet's size and
 * key flag, and each decoded picture's planes.
 */
final class StrictDecode {
  record Packet(int size, boolean key, long pts) {}

  record Result(List<Packet> packets, List<byte[]> pictures, List<String> warnings) {}

  private StrictDecode() {}

  static synchronized Result of(Path file) {
    List<String> warnings = new ArrayList<>();
    LogCallback collect = new LogCallback() {
      @Override
      public void call(int level, BytePointer message) {
        if (level <= avutil.AV_LOG_WARNING) {
          warnings.add(message.getString().trim());
        }
      }
    };
    avutil.setLogCallback(collect);
    avutil.av_log_set_level(avutil.AV_LOG_WARNING);
    AVFormatContext format = new AVFormatContext(null);
    AVCodecContext decoder = null;
    AVPacket packet = avcodec.av_packet_alloc();
    AVFrame frame = avutil.av_frame_alloc();
    List<Packet> packets = new ArrayList<>();
    List<byte[]> pictures = new ArrayList<>();
    try {
      Av.check(avformat.avformat_open_input(format, file.toString(), null, null), "opening");
      Av.check(
          avformat.avformat_find_stream_info(
              format, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
          "probing");
      int index = avformat.av_find_best_stream(
          format, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      Av.check(index, "finding the video stream");
      AVCodec codec =
          avcodec.avcodec_find_decoder(format.streams(index).codecpar().codec_id());
      decoder = avcodec.avcodec_alloc_context3(codec);
      Av.check(
          avcodec.avcodec_parameters_to_context(decoder, format.streams(index).codecpar()),
          "configuring");
      decoder.err_recognition(avcodec.AV_EF_EXPLODE
          | avcodec.AV_EF_BITSTREAM
          | avcodec.AV_EF_BUFFER
          | avcodec.AV_EF_CRCCHECK
          | avcodec.AV_EF_COMPLIANT
          | avcodec.AV_EF_AGGRESSIVE);
      decoder.thread_count(1);
      Av.check(
          avcodec.avcodec_open2(decoder, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
          "opening the decoder");
      while (avformat.av_read_frame(format, packet) >= 0) {
        if (packet.stream_index() == index) {
          packets.add(new Packet(
              packet.size(), (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0, packet.pts()));
          Av.check(
              avcodec.avcodec_send_packet(decoder, packet), "decoding packet " + packets.size());
          receive(decoder, frame, pictures);
        }
        avcodec.av_packet_unref(packet);
      }
      Av.check(avcodec.avcodec_send_packet(decoder, null), "flushing");
      receive(decoder, frame, pictures);
    } finally {
      avcodec.av_packet_free(packet);
      avutil.av_frame_free(frame);
      if (decoder != null) {
        avcodec.avcodec_free_context(decoder);
      }
      avformat.avformat_close_input(format);
      avutil.av_log_set_level(avutil.AV_LOG_ERROR);
      avutil.av_log_set_callback(
          (org.bytedeco.ffmpeg.avutil.Callback_Pointer_int_BytePointer_Pointer) null);
    }
    return new Result(packets, pictures, warnings);
  }

  private static void receive(AVCodecContext decoder, AVFrame frame, List<byte[]> pictures) {
    while (true) {
      int r = avcodec.avcodec_receive_frame(decoder, frame);
      if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) {
        return;
      }
      Av.check(r, "decoding");
      if (frame.decode_error_flags() != 0) {
        throw new AssertionError(
            "decode error flags " + frame.decode_error_flags() + " on picture " + pictures.size());
      }
      int w = frame.width();
      int h = frame.height();
      byte[] planes = new byte[w * h + 2 * (w / 2) * (h / 2)];
      int n = 0;
      for (int p = 0; p < 3; p++) {
        int pw = p == 0 ? w : w / 2;
        int ph = p == 0 ? h : h / 2;
        for (int y = 0; y < ph; y++) {
          frame.data(p).position((long) y * frame.linesize(p)).get(planes, n, pw);
          n += pw;
        }
        frame.data(p).position(0);
      }
      pictures.add(planes);
      avutil.av_frame_unref(frame);
    }
  }
}
