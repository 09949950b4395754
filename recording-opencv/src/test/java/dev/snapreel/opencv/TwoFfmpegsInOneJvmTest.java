package dev.snapreel.opencv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.FrameSink;
import dev.snapreel.sink.PreparedFrame;
import dev.snapreel.testkit.SnapshotImages;
import dev.snapreel.testkit.VideoProbe;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenCV plugin links the system FFmpeg (Debian 12: libavcodec.so.59) while bytedeco's FFmpeg
 * (libavcodec.so.62, used by the FFmpeg sink and by every decode-back here) is in the same JVM. Both
 * are loaded RTLD_LOCAL with versioned symbols, so neither binds the other's functions; this runs
 * both encoders at the same time, as a host with both sinks would, and decodes both results.
 */
class TwoFfmpegsInOneJvmTest {
  private static final FrameSink SINK = OpenCvSinks.videoWriter();

  @TempDir
  Path temp;

  @Test
  void bytedecoFfmpegAndThePluginsFfmpegEncodeConcurrently() throws Exception {
    OpenCvCodecs.assumeWritable(SINK, "h264");
    OpenCvCodecs.assumeWritable(SINK, "mp4v");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      CompletableFuture<Void> start = new CompletableFuture<>();
      Future<Path> h264 = pool.submit(() -> {
        start.join();
        return viaOpenCv("h264");
      });
      Future<Path> mp4v = pool.submit(() -> {
        start.join();
        return viaOpenCv("mp4v");
      });
      Future<Path> bytedeco = pool.submit(() -> {
        start.join();
        return viaBytedeco();
      });
      start.complete(null);
      assertDecodes(h264.get(60, TimeUnit.SECONDS), "h264");
      assertDecodes(mp4v.get(60, TimeUnit.SECONDS), "mpeg4");
      assertDecodes(bytedeco.get(60, TimeUnit.SECONDS), "mpeg4");
    } finally {
      pool.shutdownNow();
    }
  }

  private Path viaOpenCv(String codec) {
    Path target = temp.resolve("opencv-" + codec + ".mp4");
    try (EncodingSession session = SINK.open(
        new EncodingSpec(codec, 320, 240, 30, 90, 2),
        temp.resolve("opencv-" + codec + ".partial.mp4"))) {
      for (int i = 0; i < 60; i++) {
        try (PreparedFrame frame =
            session.prepare(SnapshotImages.gray(320, 240, 40 + 3 * i, "#" + i))) {
          session.write(frame, false);
        }
      }
      session.finish(target);
    }
    return target;
  }

  private Path viaBytedeco() throws Exception {
    Path target = temp.resolve("bytedeco.mp4");
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(target.toFile(), 320, 240);
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat("mp4");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setFrameRate(30);
      recorder.start();
      for (int i = 0; i < 60; i++) {
        recorder.record(
            converter.convert(new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR)));
      }
      recorder.stop();
    }
    return target;
  }

  private static void assertDecodes(Path file, String codec) {
    VideoProbe probe = VideoProbe.of(file);
    assertThat(probe.codec()).isEqualTo(codec);
    assertThat(probe.decodedFrames()).isEqualTo(60);
  }
}
