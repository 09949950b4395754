/**
 * The real-time load harness: N concurrent recordings through a real {@link
 * dev.snapreel.RecordingService}, measured side by side with the ffmpeg command line on the same
 * frames; and the same load through the example host's WebSocket, with the host in a child JVM.
 */
@NullMarked
package dev.snapreel.benchmarks.load;

import org.jspecify.annotations.NullMarked;
