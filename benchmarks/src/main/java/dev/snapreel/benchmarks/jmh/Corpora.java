package dev.snapreel.benchmarks.jmh;

import dev.snapreel.Resolution;
import dev.snapreel.benchmarks.corpus.WebcamCorpus;
import java.util.List;

/** The benchmark inputs: a short corpus per resolution and scene, cached beside benchmarks.jar. */
final class Corpora {
  static final int FRAMES = 30;

  private Corpora() {}

  static List<byte[]> webcam(String resolution) {
    return of(resolution, "webcam");
  }

  /** {@code scene}: {@code webcam} or {@code noisy} (the worst case). */
  static List<byte[]> of(String resolution, String scene) {
    Resolution r = Resolution.parse(resolution);
    WebcamCorpus.Scene s = WebcamCorpus.Scene.valueOf(scene.toUpperCase(java.util.Locale.ROOT));
    return WebcamCorpus.builder()
        .size(r.width(), r.height())
        .frames(FRAMES)
        .scene(s)
        .build()
        .load(WebcamCorpus.defaultCacheRoot());
  }
}
