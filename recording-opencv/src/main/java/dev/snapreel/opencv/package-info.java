/**
 * A {@link dev.snapreel.sink.FrameSink} on OpenCV's {@code VideoWriter} (bytedeco OpenCV): for hosts
 * that already run OpenCV. Writes what the OpenCV build's video backends can write, probed at start;
 * see {@link dev.snapreel.opencv.OpenCvSink}.
 */
@NullMarked
package dev.snapreel.opencv;

import org.jspecify.annotations.NullMarked;
