/**
 * snapreel: records irregular camera snapshots as constant-frame-rate MP4.
 *
 * <p>Entry point: {@link dev.snapreel.RecordingService#builder()}.
 */
@NullMarked
package dev.snapreel;

import org.jspecify.annotations.NullMarked;
