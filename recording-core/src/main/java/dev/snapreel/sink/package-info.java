/** Encoder SPI: a {@link dev.snapreel.sink.FrameSink} turns prepared frames into a video file. */
@NullMarked
package dev.snapreel.sink;

import org.jspecify.annotations.NullMarked;
