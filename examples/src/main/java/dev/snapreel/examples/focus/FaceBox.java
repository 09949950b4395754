package dev.snapreel.examples.focus;

/** A face's bounding box in coordinates normalized to the frame: 0..1 from the top-left corner. */
public record FaceBox(double x, double y, double width, double height) {
  public FaceBox {
    if (!(x >= 0
        && y >= 0
        && width > 0
        && height > 0
        && x + width <= 1.0001
        && y + height <= 1.0001)) {
      throw new IllegalArgumentException(
          "not a normalized box: " + x + "," + y + " " + width + "x" + height);
    }
  }

  public double centerX() {
    return x + width / 2;
  }

  public double centerY() {
    return y + height / 2;
  }
}
