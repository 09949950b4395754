/**
 * The real-time load harness: N concurrent recordings through a real {@link
 * dev.snapreel.RecordingService}, measured side by side with the ffmpeg command line on the same
 * frames.
 */
@NullMarked
package dev.snapreel.benchmarks.load;

import org.jspecify.annotations.NullMarked;
