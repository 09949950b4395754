package dev.snapreel.benchmarks.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebcamCorpusTest {
  private static WebcamCorpus small(long seed, WebcamCorpus.Scene scene) {
    return WebcamCorpus.builder()
        .size(320, 180)
        .frames(6)
        .seed(seed)
        .scene(scene)
        .build();
  }

  @Test
  void sameParametersGiveTheSameBytes() {
    assertThat(small(7, WebcamCorpus.Scene.WEBCAM).generate())
        .containsExactlyElementsOf(small(7, WebcamCorpus.Scene.WEBCAM).generate());
  }

  @Test
  void aFrameDoesNotDependOnGenerationOrder() {
    WebcamCorpus corpus = small(7, WebcamCorpus.Scene.WEBCAM);
    byte[] last = corpus.jpeg(5);
    assertThat(small(7, WebcamCorpus.Scene.WEBCAM).generate().get(5)).isEqualTo(last);
  }

  @Test
  void anotherSeedGivesOtherFrames() {
    assertThat(small(8, WebcamCorpus.Scene.WEBCAM).jpeg(0))
        .isNotEqualTo(small(7, WebcamCorpus.Scene.WEBCAM).jpeg(0));
  }

  @Test
  void framesAreJpegsOfTheRequestedSize() throws IOException {
    for (byte[] jpeg : small(7, WebcamCorpus.Scene.WEBCAM).generate()) {
      assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
      assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
      assertThat(decoded.getWidth()).isEqualTo(320);
      assertThat(decoded.getHeight()).isEqualTo(180);
    }
  }

  @Test
  void theSubjectMovesWhileTheRoomStaysStill() {
    WebcamCorpus corpus = small(7, WebcamCorpus.Scene.WEBCAM);
    BufferedImage a = corpus.render(0);
    BufferedImage b = corpus.render(5);
    // The window (top left) only changes by noise and lighting drift; the head moves across the
    // centre.
    assertThat(meanAbsDiff(a, b, 20, 20, 60, 60)).isLessThan(8);
    assertThat(meanAbsDiff(a, b, 140, 40, 200, 110)).isGreaterThan(10);
  }

  @Test
  void theNoisySceneIsMuchNoisierAndCompressesWorse() {
    WebcamCorpus webcam = small(7, WebcamCorpus.Scene.WEBCAM);
    WebcamCorpus noisy = small(7, WebcamCorpus.Scene.NOISY);
    assertThat(meanAbsDiff(noisy.render(1), noisy.render(2), 20, 20, 60, 60))
        .isGreaterThan(4 * meanAbsDiff(webcam.render(1), webcam.render(2), 20, 20, 60, 60));
    assertThat(noisy.jpeg(1).length).isGreaterThan(2 * webcam.jpeg(1).length);
  }

  @Test
  void theCacheIsWrittenOnceAndReadBackIdentically(@TempDir Path root) throws IOException {
    WebcamCorpus corpus = small(7, WebcamCorpus.Scene.WEBCAM);
    Path dir = corpus.writeTo(root);
    assertThat(dir.getFileName().toString()).isEqualTo(corpus.key());
    assertThat(dir.resolve("frame_00005.jpg")).exists();
    Path first = dir.resolve(WebcamCorpus.frameFileName(0));
    var written = Files.getLastModifiedTime(first);

    List<byte[]> loaded = small(7, WebcamCorpus.Scene.WEBCAM).load(root);

    assertThat(Files.getLastModifiedTime(first)).isEqualTo(written);
    assertThat(loaded).containsExactlyElementsOf(corpus.generate());
  }

  private static double meanAbsDiff(
      BufferedImage a, BufferedImage b, int x0, int y0, int x1, int y1) {
    long sum = 0;
    int n = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int pa = a.getRGB(x, y);
        int pb = b.getRGB(x, y);
        for (int shift = 0; shift < 24; shift += 8) {
          sum += Math.abs(((pa >> shift) & 0xff) - ((pb >> shift) & 0xff));
          n++;
        }
      }
    }
    return (double) sum / n;
  }
}
