/** OpenCV sink internals: the encoding session, prepared frames and the codec probe. Not API. */
@NullMarked
package dev.snapreel.opencv.internal;

import org.jspecify.annotations.NullMarked;
