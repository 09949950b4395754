package dev.snapreel.benchmarks.corpus;

import static java.util.Objects.requireNonNull;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic generator of webcam-like JPEG snapshot sequences: a mostly static room (gradient
 * wall, window, shelf, desk, fixed sensor texture), a person's head and shoulders drifting slowly,
 * mild Gaussian sensor noise and a slow lighting drift. {@link Scene#NOISY} is the encoder's worst
 * case: heavy per-pixel, per-channel noise that no inter-frame prediction can remove.
 *
 * <p>Everything is pure arithmetic on a seeded {@link SplittableRandom} (no Java2D rendering), so
 * the same parameters give the same pixels and, with the same JDK's JPEG writer, the same bytes.
 * Frame {@code i} depends only on the parameters and {@code i}, never on generation order.
 */
public final class WebcamCorpus {
  /** The kind of content. */
  public enum Scene {
    /** Static room, moving subject, mild noise (sigma 2.5), lighting drift. */
    WEBCAM(2.5, false),
    /** Same room drowned in heavy per-channel noise (sigma 24): the worst case for any encoder. */
    NOISY(24.0, true);

    final double noiseSigma;
    final boolean perChannelNoise;

    Scene(double noiseSigma, boolean perChannelNoise) {
      this.noiseSigma = noiseSigma;
      this.perChannelNoise = perChannelNoise;
    }
  }

  /** The snapshot rate the frames are meant to be shown at (their content moves at this rate). */
  public static final double SNAPSHOT_FPS = 5.0;

  private static final int GAUSS_TABLE_SIZE = 1 << 16;

  private final int width;
  private final int height;
  private final int frames;
  private final long seed;
  private final Scene scene;
  private final float quality;
  private final float[] gauss;
  private byte @Nullable [] background;

  private WebcamCorpus(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.frames = b.frames;
    this.seed = b.seed;
    this.scene = b.scene;
    this.quality = b.quality;
    SplittableRandom random = new SplittableRandom(seed ^ 0x5eed_6a55L);
    this.gauss = new float[GAUSS_TABLE_SIZE];
    for (int i = 0; i < gauss.length; i++) {
      gauss[i] = (float) gaussian(random);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The standard webcam corpus at {@code width x height}: 150 frames (30 s at 5 FPS), quality 0.8. */
  public static WebcamCorpus webcam(int width, int height) {
    return builder().size(width, height).build();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int frameCount() {
    return frames;
  }

  public long seed() {
    return seed;
  }

  public Scene scene() {
    return scene;
  }

  public float quality() {
    return quality;
  }

  /** A name that identifies every parameter, used as the cache directory name. */
  public String key() {
    return String.format(
        Locale.ROOT,
        "%s-%dx%d-q%d-s%d-n%d",
        scene.name().toLowerCase(Locale.ROOT),
        width,
        height,
        Math.round(quality * 100),
        seed,
        frames);
  }

  /** Frame {@code index} as 8-bit BGR pixels. */
  public BufferedImage render(int index) {
    if (index < 0 || index >= frames) {
      throw new IndexOutOfBoundsException("frame " + index + " of " + frames);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(background(), 0, out, 0, out.length);

    double t = index / SNAPSHOT_FPS;
    // The subject: shoulders, then head, then eyes (closed for one frame every ~4 s).
    double cx = width * (0.5 + 0.12 * Math.sin(2 * Math.PI * t / 9.0));
    double cy = height * (0.42 + 0.04 * Math.sin(2 * Math.PI * t / 5.3));
    double headRy = height * 0.17;
    double headRx = height * 0.13;
    ellipse(out, cx, cy + height * 0.45, height * 0.33, height * 0.26, 60, 70, 140);
    ellipse(out, cx, cy, headRx, headRy, 110, 150, 205);
    ellipse(out, cx, cy - headRy * 0.75, headRx * 0.95, headRy * 0.35, 30, 35, 45); // hair
    boolean blink = index % 21 == 0;
    double eyeRy = blink ? height * 0.004 : height * 0.018;
    ellipse(out, cx - headRx * 0.4, cy - headRy * 0.1, height * 0.025, eyeRy, 40, 30, 30);
    ellipse(out, cx + headRx * 0.4, cy - headRy * 0.1, height * 0.025, eyeRy, 40, 30, 30);
    double mouth = 0.006 + 0.01 * Math.abs(Math.sin(2 * Math.PI * t / 1.7)); // talking
    ellipse(out, cx, cy + headRy * 0.5, headRx * 0.35, height * mouth, 60, 60, 150);

    // Lighting drift (auto-exposure hunting, clouds) and sensor noise.
    double gain =
        1.0 + 0.05 * Math.sin(2 * Math.PI * t / 30.0) + 0.012 * Math.sin(2 * Math.PI * t / 7.0);
    SplittableRandom random = new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + index);
    float sigma = (float) scene.noiseSigma;
    int mask = GAUSS_TABLE_SIZE - 1;
    for (int p = 0; p < out.length; p += 3) {
      int r = random.nextInt();
      float shared = gauss[r & mask] * sigma;
      float nb = shared;
      float ng = shared;
      float nr = shared;
      if (scene.perChannelNoise) {
        ng = gauss[(r >>> 16) & mask] * sigma;
        nr = gauss[random.nextInt() & mask] * sigma;
      }
      out[p] = clamp((out[p] & 0xff) * gain + nb);
      out[p + 1] = clamp((out[p + 1] & 0xff) * gain + ng);
      out[p + 2] = clamp((out[p + 2] & 0xff) * gain + nr);
    }
    return image;
  }

  /** Frame {@code index} as a JPEG at this corpus' quality. */
  public byte[] jpeg(int index) {
    return encodeJpeg(render(index), quality);
  }

  /** All frames as JPEG, generated in memory. */
  public List<byte[]> generate() {
    List<byte[]> result = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      result.add(jpeg(i));
    }
    return result;
  }

  /**
   * Writes the frames as {@code frame_00000.jpg ...} under {@code cacheRoot/key()} unless a complete
   * copy is already there, and returns that directory. Generating a 1080p corpus takes seconds;
   * reusing it keeps benchmark set-up out of the way.
   */
  public Path writeTo(Path cacheRoot) {
    requireNonNull(cacheRoot, "cacheRoot");
    Path dir = cacheRoot.resolve(key());
    Path marker = dir.resolve("COMPLETE");
    try {
      if (Files.isRegularFile(marker)) {
        return dir;
      }
      Files.createDirectories(cacheRoot);
      Path tmp = Files.createTempDirectory(cacheRoot, key() + ".tmp");
      for (int i = 0; i < frames; i++) {
        Files.write(tmp.resolve(frameFileName(i)), jpeg(i));
      }
      Files.writeString(tmp.resolve("COMPLETE"), key() + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException
          | DirectoryNotEmptyException
          | AtomicMoveNotSupportedException e) {
        // Another process won the race (or left a partial directory): keep one complete copy.
        deleteTree(tmp);
        if (!Files.isRegularFile(marker)) {
          deleteTree(dir);
          return writeTo(cacheRoot);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write corpus " + key() + " under " + cacheRoot, e);
    }
  }

  /** The frames from the cache under {@code cacheRoot}, generating them first if needed. */
  public List<byte[]> load(Path cacheRoot) {
    Path dir = writeTo(cacheRoot);
    List<byte[]> result = new ArrayList<>(frames);
    try {
      for (int i = 0; i < frames; i++) {
        result.add(Files.readAllBytes(dir.resolve(frameFileName(i))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read corpus " + dir, e);
    }
    return result;
  }

  /** {@code frame_%05d.jpg}, the pattern the ffmpeg command line reads with {@code -i frame_%05d.jpg}. */
  public static String frameFileName(int index) {
    return String.format(Locale.ROOT, "frame_%05d.jpg", index);
  }

  /** The cache root: system property {@code snapreel.corpus.dir}, else {@code corpus} in {@link #targetDirectory()}. */
  public static Path defaultCacheRoot() {
    String configured = System.getProperty("snapreel.corpus.dir");
    return configured != null ? Path.of(configured) : targetDirectory().resolve("corpus");
  }

  /**
   * The benchmarks module's build directory, wherever the command is run from: the directory
   * holding {@code benchmarks.jar} (or {@code target/classes}' parent when run from the build);
   * {@code target} under the working directory if that cannot be told.
   */
  public static Path targetDirectory() {
    try {
      java.security.CodeSource source = WebcamCorpus.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
        Path parent = location.getParent();
        if (parent != null) {
          return parent;
        }
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall through
    }
    return Path.of("target").toAbsolutePath();
  }

  /** Encodes {@code image} with the JDK's baseline JPEG writer at {@code quality} (0..1). */
  public static byte[] encodeJpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      ByteArrayOutputStream bytes =
          new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
      try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        writer.write(null, new IIOImage(image, null, null), param);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed", e);
    } finally {
      writer.dispose();
    }
  }

  private synchronized byte[] background() {
    byte[] bg = background;
    if (bg != null) {
      return bg;
    }
    bg = new byte[width * height * 3];
    SplittableRandom texture = new SplittableRandom(seed);
    int floorY = (int) (height * 0.78);
    for (int y = 0; y < height; y++) {
      double fy = (double) y / height;
      for (int x = 0; x < width; x++) {
        double fx = (double) x / width;
        int p = (y * width + x) * 3;
        double b;
        double g;
        double r;
        if (y < floorY) { // warm wall, lit from the window on the left
          double light = 1.0 - 0.35 * fx - 0.15 * fy;
          b = 150 * light;
          g = 180 * light;
          r = 200 * light;
        } else { // wooden floor with planks
          double plank = ((int) (fx * 12) % 2 == 0) ? 1.0 : 0.9;
          b = 50 * plank;
          g = 80 * plank;
          r = 115 * plank;
        }
        // Fixed-pattern texture: real walls are not flat, and a flat image flatters the encoder.
        double tex = texture.nextInt(9) - 4;
        bg[p] = clamp(b + tex);
        bg[p + 1] = clamp(g + tex);
        bg[p + 2] = clamp(r + tex);
      }
    }
    rect(bg, 0.04, 0.08, 0.22, 0.45, 235, 240, 245); // window
    rect(bg, 0.125, 0.08, 0.135, 0.45, 120, 120, 125); // window bar
    rect(bg, 0.70, 0.10, 0.95, 0.70, 40, 60, 90); // bookshelf
    for (int shelf = 0; shelf < 4; shelf++) {
      double top = 0.13 + shelf * 0.145;
      for (int book = 0; book < 9; book++) {
        double left = 0.715 + book * 0.025;
        int shade = (book * 37 + shelf * 53) % 120;
        rect(
            bg, left, top, left + 0.02, top + 0.11, 40 + shade, 60 + (shade * 2) % 120, 70 + shade);
      }
    }
    rect(bg, 0.30, 0.12, 0.42, 0.30, 30, 30, 30); // picture frame
    rect(bg, 0.31, 0.14, 0.41, 0.28, 90, 140, 70); // picture
    rect(bg, 0.0, 0.85, 1.0, 1.0, 70, 90, 110); // desk edge in the foreground
    background = bg;
    return bg;
  }

  private void rect(byte[] img, double x0, double y0, double x1, double y1, int b, int g, int r) {
    int ix0 = (int) (x0 * width);
    int ix1 = Math.min(width, (int) (x1 * width));
    int iy0 = (int) (y0 * height);
    int iy1 = Math.min(height, (int) (y1 * height));
    for (int y = iy0; y < iy1; y++) {
      for (int x = ix0; x < ix1; x++) {
        int p = (y * width + x) * 3;
        // Keep the texture: shift the colour, not replace it.
        int tex = (img[p] & 0xff) - (img[p + 1] & 0xff) + 30;
        img[p] = clamp(b + tex * 0.1);
        img[p + 1] = clamp(g + tex * 0.1);
        img[p + 2] = clamp(r + tex * 0.1);
      }
    }
  }

  /** A filled ellipse with a one-to-two pixel soft edge, like an out-of-focus webcam outline. */
  private void ellipse(
      byte[] img, double cx, double cy, double rx, double ry, int b, int g, int r) {
    int x0 = Math.max(0, (int) Math.floor(cx - rx - 2));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + rx + 2));
    int y0 = Math.max(0, (int) Math.floor(cy - ry - 2));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + ry + 2));
    double edge = Math.min(rx, ry);
    for (int y = y0; y <= y1; y++) {
      double dy = (y + 0.5 - cy) / ry;
      for (int x = x0; x <= x1; x++) {
        double dx = (x + 0.5 - cx) / rx;
        double d = Math.sqrt(dx * dx + dy * dy);
        double alpha = Math.min(1.0, Math.max(0.0, (1.0 - d) * edge / 1.5));
        if (alpha <= 0) {
          continue;
        }
        int p = (y * width + x) * 3;
        img[p] = clamp((img[p] & 0xff) * (1 - alpha) + b * alpha);
        img[p + 1] = clamp((img[p + 1] & 0xff) * (1 - alpha) + g * alpha);
        img[p + 2] = clamp((img[p + 2] & 0xff) * (1 - alpha) + r * alpha);
      }
    }
  }

  private static byte clamp(double v) {
    long rounded = Math.round(v);
    return (byte) (rounded < 0 ? 0 : rounded > 255 ? 255 : rounded);
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: explicit, so the table does not depend on a JDK's nextGaussian algorithm.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Parameters; defaults: 1280x720, 150 frames, seed 42, {@link Scene#WEBCAM}, quality 0.8. */
  public static final class Builder {
    private int width = 1280;
    private int height = 720;
    private int frames = 150;
    private long seed = 42;
    private Scene scene = Scene.WEBCAM;
    private float quality = 0.8f;

    private Builder() {}

    public Builder size(int width, int height) {
      if (width < 16 || height < 16 || width > 7680 || height > 4320) {
        throw new IllegalArgumentException(
            "size must be 16x16..7680x4320, was " + width + "x" + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder frames(int frames) {
      if (frames < 1) {
        throw new IllegalArgumentException("frames must be >= 1, was " + frames);
      }
      this.frames = frames;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder scene(Scene scene) {
      this.scene = requireNonNull(scene, "scene");
      return this;
    }

    public Builder quality(float quality) {
      if (!(quality > 0 && quality <= 1)) {
        throw new IllegalArgumentException("quality must be in (0, 1], was " + quality);
      }
      this.quality = quality;
      return this;
    }

    public WebcamCorpus build() {
      return new WebcamCorpus(this);
    }
  }
}
