package dev.snapreel.ffmpeg.internal;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;

import dev.snapreel.EncoderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Rewrites a (fragmented, possibly truncated) MP4 as a plain MP4 with {@code moov} first, copying
 * packets without re-encoding. Stops at the first unreadable packet, which is how a file cut off by a
 * crash ends. On failure the output is removed, never left half-written where a caller could take it
 * for a finished file.
 */
public final class Mp4Remuxer {
  private Mp4Remuxer() {}

  /** Returns the number of video packets (frames) written to {@code output}. */
  public static long remux(Path input, Path output) {
    Av.init();
    AVFormatContext in = new AVFormatContext(null);
    AVFormatContext out = null;
    AVPacket packet = avcodec.av_packet_alloc();
    long frames = 0;
    boolean ok = false;
    try {
      Av.check(
          avformat.avformat_open_input(in, input.toString(), null, null),
          "opening " + input.getFileName());
      Av.check(
          avformat.avformat_find_stream_info(in, (PointerPointer<?>) null),
          "reading " + input.getFileName());
      int videoIndex = avformat.av_find_best_stream(
          in, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
      if (videoIndex < 0) {
        throw new EncoderException(input.getFileName() + " holds no video stream");
      }
      AVStream inStream = in.streams(videoIndex);

      out = new AVFormatContext(null);
      Av.check(
          avformat.avformat_alloc_output_context2(out, null, "mp4", output.toString()),
          "creating the MP4 muxer");
      if (out.isNull()) {
        out = null;
        throw new EncoderException(
            "FFmpeg could not allocate an MP4 muxer for " + output.getFileName());
      }
      AVStream outStream = avformat.avformat_new_stream(out, null);
      if (outStream == null || outStream.isNull()) {
        throw new EncoderException("FFmpeg could not add a stream to " + output.getFileName());
      }
      Av.check(
          avcodec.avcodec_parameters_copy(outStream.codecpar(), inStream.codecpar()),
          "copying stream parameters");
      outStream.codecpar().codec_tag(0);
      outStream.time_base(inStream.time_base());
      outStream.avg_frame_rate(inStream.avg_frame_rate());
      outStream.r_frame_rate(inStream.r_frame_rate());
      AVIOContext pb = new AVIOContext(null);
      Av.check(
          avformat.avio_open(pb, output.toString(), AVIO_FLAG_WRITE),
          "creating " + output.getFileName());
      out.pb(pb);
      AVDictionary options = new AVDictionary(null);
      avutil.av_dict_set(options, "movflags", "+faststart", 0);
      try {
        Av.check(avformat.avformat_write_header(out, options), "writing the MP4 header");
      } finally {
        avutil.av_dict_free(options);
      }
      while (avformat.av_read_frame(in, packet) >= 0) {
        try {
          if (packet.stream_index() != videoIndex
              || (packet.flags() & avcodec.AV_PKT_FLAG_CORRUPT) != 0) {
            continue;
          }
          packet.stream_index(0);
          avcodec.av_packet_rescale_ts(packet, inStream.time_base(), outStream.time_base());
          packet.pos(-1);
          Av.check(avformat.av_interleaved_write_frame(out, packet), "writing a packet");
          frames++;
        } finally {
          avcodec.av_packet_unref(packet);
        }
      }
      Av.check(avformat.av_write_trailer(out), "finalizing " + output.getFileName());
      ok = true;
      return frames;
    } finally {
      avcodec.av_packet_free(packet);
      if (out != null) {
        if (out.pb() != null && !out.pb().isNull()) {
          avformat.avio_closep(out.pb());
        }
        avformat.avformat_free_context(out);
      }
      avformat.avformat_close_input(in);
      if (!ok) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // the caller gets the original failure; a stale output is overwritten by the next attempt
        }
      }
    }
  }
}
