/**
 * The default {@link dev.snapreel.sink.FrameSink}: H.264 in MP4 through FFmpeg (bytedeco natives),
 * crash-safe while recording. Start at {@link dev.snapreel.ffmpeg.FfmpegSinks}.
 */
@NullMarked
package dev.snapreel.ffmpeg;

import org.jspecify.annotations.NullMarked;
