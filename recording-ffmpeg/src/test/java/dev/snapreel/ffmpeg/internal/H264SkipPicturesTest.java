package dev.snapreel.ffmpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapreel.Snapshot;
import dev.snapreel.ffmpeg.FfmpegSinks;
import dev.snapreel.ffmpeg.TestImages;
import dev.snapreel.sink.EncodingSession;
import dev.snapreel.sink.EncodingSpec;
import dev.snapreel.sink.PreparedFrame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duplicated slots of an H.264 recording are hand-made all-skip pictures: they must decode, under a
 * decoder that fails on any bitstream error, to exactly the picture they repeat, while keyframes
 * stay on the output grid and the encoder's own pictures still decode after them.
 */
class H264SkipPicturesTest {
  @TempDir Path dir;

  @Test
  void openh264StreamsWriteDuplicatesAsSkipPicturesOtherCodecsEncodeThem() {
    EncodingSpec h264 = new EncodingSpec("h264", 320, 240, 30, 90, 2.0);
    EncodingSpec mpeg4 = new EncodingSpec("mpeg4", 320, 240, 30, 90, 2.0);
    try (EncodingSession a = FfmpegSinks.h264().open(h264, dir.resolve("a.mp4"));
        EncodingSession b = FfmpegSinks.h264().open(mpeg4, dir.resolve("b.mp4"))) {
      assertThat(((FfmpegEncodingSession) a).skipsDuplicates()).isTrue();
      assertThat(((FfmpegEncodingSession) b).skipsDuplicates()).isFalse();
    }
  }

  @Test
  void duplicatesDecodeToExactCopiesAndKeyframesStayOnTheGrid() {
    // 5 FPS into 30 FPS, plus a 50-slot stall across the keyframe at slot 60.
    int slots = 200;
    IntPredicate unique = s -> s < 40 ? s % 6 == 0 : s >= 90 && s % 6 == 0;
    Result r = record(new EncodingSpec("h264", 320, 240, 30, 90, 2.0), slots, unique);

    assertThat(r.decoded.warnings()).as("decoder warnings").isEmpty();
    assertThat(r.decoded.pictures()).hasSize(slots);
    assertThat(r.decoded.packets()).hasSize(slots);
    for (int s = 0; s < slots; s++) {
      StrictDecode.Packet p = r.decoded.packets().get(s);
      assertThat(p.key()).as("keyframe at slot %d", s).isEqualTo(s % 60 == 0);
      if (!unique.test(s) && s % 60 != 0) {
        assertThat(p.size()).as("skip picture size at slot %d", s).isLessThan(16);
      }
      if (s > 0 && !unique.test(s) && s % 60 != 0) {
        assertThat(Arrays.equals(r.decoded.pictures().get(s), r.decoded.pictures().get(s - 1)))
            .as("slot %d repeats slot %d exactly", s, s - 1).isTrue();
      }
      if (s % 60 == 0) {
        assertThat(r.psnr(s)).as("keyframe at slot %d is encoded, not skipped", s).isGreaterThan(30);
      }
      if (s > 0 && unique.test(s)) {
        assertThat(Arrays.equals(r.decoded.pictures().get(s), r.decoded.pictures().get(s - 1)))
            .as("slot %d is a new picture", s).isFalse();
      }
    }
    // The encoder's pictures after skips are predicted from the skip pictures: still close to
    // their source (a numbering error would make them reference garbage or fail to decode).
    for (int s : new int[] {6, 12, 96, 150, 198}) {
      if (unique.test(s)) {
        assertThat(r.psnr(s)).as("PSNR of slot %d", s).isGreaterThan(30);
      }
    }
  }

  @Test
  void frameNumbersWrapAroundWithoutBreakingTheStream() {
    // log2_max_frame_num is 15 in libopenh264's streams: 32768 pictures between keyframes wrap it.
    int slots = 33_000;
    Result r = record(new EncodingSpec("h264", 64, 48, 30, 50, 3600.0), slots, s -> s % 6 == 0);
    assertThat(r.decoded.warnings()).isEmpty();
    assertThat(r.decoded.pictures()).hasSize(slots);
    assertThat(r.decoded.packets().stream().filter(StrictDecode.Packet::key).count()).isEqualTo(1);
    for (int s = 32_760; s < 32_790; s++) {
      boolean same = Arrays.equals(r.decoded.pictures().get(s), r.decoded.pictures().get(s - 1));
      assertThat(same).as("slot %d", s).isEqualTo(s % 6 != 0);
    }
    assertThat(r.psnr(32_790)).isGreaterThan(30);
  }

  private record Result(StrictDecode.Result decoded, List<byte[]> sources) {
    /** PSNR of the luma of slot {@code s} against the source picture written there. */
    double psnr(int s) {
      byte[] source = sources.get(s);
      byte[] picture = decoded.pictures().get(s);
      double se = 0;
      int n = source.length;
      for (int i = 0; i < n; i++) {
        int d = (source[i] & 0xFF) - (picture[i] & 0xFF);
        se += d * d;
      }
      return se == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / (se / n));
    }
  }

  /** Records {@code slots} output slots, a new picture where {@code unique} holds, else a duplicate. */
  private Result record(EncodingSpec spec, int slots, IntPredicate unique) {
    Path partial = dir.resolve("partial.mp4");
    Path target = dir.resolve("out.mp4");
    List<byte[]> sources = new ArrayList<>();
    try (EncodingSession session = FfmpegSinks.h264().open(spec, partial)) {
      PreparedFrame frame = null;
      byte[] luma = null;
      int picture = 0;
      for (int s = 0; s < slots; s++) {
        boolean fresh = frame == null || unique.test(s);
        if (fresh) {
          BufferedImage image = scene(spec.width(), spec.height(), picture++);
          if (frame != null) {
            frame.close();
          }
          frame = session.prepare(Snapshot.encoded(TestImages.jpeg(image)));
          luma = luma(image);
        }
        session.write(frame, !fresh);
        sources.add(luma);
      }
      if (frame != null) {
        frame.close();
      }
      assertThat(session.finish(target)).isEqualTo(slots);
    }
    return new Result(StrictDecode.of(target), sources);
  }

  /** A textured scene with a square moving a few pixels per picture. */
  private static BufferedImage scene(int w, int h, int n) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    SplittableRandom random = new SplittableRandom(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 60 + (x * 97 / w) + (y * 53 / h) + random.nextInt(12);
        image.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(200, 120, 40));
    int size = Math.max(8, w / 6);
    g.fillRect((n * 3) % (w - size), (h - size) / 2 + (n % 5), size, size);
    g.dispose();
    return image;
  }

  /** BT.601 limited-range luma, as the encoder's yuv420p sees it. */
  private static byte[] luma(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] y = new byte[w * h];
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        int rgb = image.getRGB(i, j);
        double v = 16 + (65.481 * ((rgb >> 16) & 0xFF) + 128.553 * ((rgb >> 8) & 0xFF) + 24.966 * (rgb & 0xFF)) / 255.0;
        y[j * w + i] = (byte) Math.round(v);
      }
    }
    return y;
  }
}
