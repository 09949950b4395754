/**
 * Test support for snapreel sinks and hosts: decode-back probing of recorded files ({@link
 * dev.snapreel.testkit.VideoProbe}), the conformance suite every {@link dev.snapreel.sink.FrameSink}
 * runs by extending {@link dev.snapreel.testkit.FrameSinkConformanceTest}, a manual ticker and
 * generated test snapshots.
 */
@NullMarked
package dev.snapreel.testkit;

import org.jspecify.annotations.NullMarked;
