package dev.snapreel.examples.focus;

import org.jspecify.annotations.Nullable;

/**
 * What the detector saw in one frame: how many faces, the main (largest) one, and the size of the
 * analysed (downscaled) image.
 */
public record Detection(
    int facesDetected, @Nullable FaceBox mainFace, int analysedWidth, int analysedHeight) {
  /** Horizontal distance of the face centre from the frame centre that still counts as centred. */
  static final double CENTRE_TOLERANCE_X = 0.2;

  static final double CENTRE_TOLERANCE_Y = 0.25;

  /** Faces narrower than this share of the frame are too far away to count as a person at the desk. */
  static final double MIN_PRESENT_WIDTH = 0.08;

  public Detection {
    if (facesDetected < 0) {
      throw new IllegalArgumentException("facesDetected < 0");
    }
    if ((facesDetected == 0) != (mainFace == null)) {
      throw new IllegalArgumentException("mainFace must be given exactly when faces were detected");
    }
  }

  /** Someone is in front of the camera. */
  public boolean present() {
    return mainFace != null && mainFace.width() >= MIN_PRESENT_WIDTH;
  }

  /** Present and looking roughly at the middle of the screen. */
  public boolean centred() {
    FaceBox f = mainFace;
    return present()
        && f != null
        && Math.abs(f.centerX() - 0.5) <= CENTRE_TOLERANCE_X
        && Math.abs(f.centerY() - 0.5) <= CENTRE_TOLERANCE_Y;
  }
}
