/** Focus sessions and the OpenCV face detector that scores attention from camera snapshots. */
@NullMarked
package dev.snapreel.examples.focus;

import org.jspecify.annotations.NullMarked;
