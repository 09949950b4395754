package dev.snapreel.opencv.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapreel.EncoderException;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_videoio;
import org.junit.jupiter.api.Test;

/**
 * The refusals, whatever this machine's OpenCV can write: a codec is refused with a message naming it
 * and the way out, never replaced by another. The sink's own tests cover what the build can write.
 */
class WriterCodecsTest {
  private static final Map<String, WriterCodecs.Family> MP4V =
      Map.of("mp4v", new WriterCodecs.Family("mpeg4", List.of("mp4v")));

  @Test
  void aCodecNoBackendCanWriteIsRefusedWithThePluginHint() {
    // V4L2 is a capture-only backend: no writer, as for every codec in the stock bytedeco build.
    WriterCodecs codecs = new WriterCodecs(List.of(opencv_videoio.CAP_V4L2), MP4V);
    assertThatThrownBy(() -> codecs.require("mp4v"))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("cannot write codec 'mp4v' (fourcc mp4v) to MP4")
        .hasMessageContaining("OPENCV_VIDEOIO_PLUGIN_PATH")
        .hasMessageContaining("build-ffmpeg-plugin.sh");
  }

  @Test
  void aCodecWithoutAnEncoderIsRefusedNotReplaced() {
    // Sorenson Video 3 has an MP4 tag and an FFmpeg decoder, but no FFmpeg encoder.
    Map<String, WriterCodecs.Family> svq3 =
        Map.of("svq3", new WriterCodecs.Family("svq3", List.of("SVQ3")));
    WriterCodecs codecs = new WriterCodecs(List.of(opencv_videoio.CAP_FFMPEG), svq3);
    assertThatThrownBy(() -> codecs.require("svq3"))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("cannot write codec 'svq3' (fourcc SVQ3) to MP4")
        .hasMessageContaining("OPENCV_VIDEOIO_PLUGIN_PATH");
    if (canWriteMp4v()) {
      // With the FFmpeg plugin loaded the message says what is really missing.
      assertThatThrownBy(() -> codecs.require("svq3"))
          .hasMessageContaining("has no encoder for it");
    }
  }

  @Test
  void unknownCodecsAreRefusedBeforeAnyProbe() {
    WriterCodecs codecs = new WriterCodecs(List.of(opencv_videoio.CAP_FFMPEG), MP4V);
    assertThatThrownBy(() -> codecs.require("hevc"))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("does not support codec 'hevc'");
  }

  private static boolean canWriteMp4v() {
    try {
      return new WriterCodecs(List.of(opencv_videoio.CAP_FFMPEG), MP4V)
              .require("mp4v")
              .backend()
          == opencv_videoio.CAP_FFMPEG;
    } catch (EncoderException e) {
      return false;
    }
  }
}
