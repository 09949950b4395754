/** Not API: FFmpeg encoder, decoder and remuxer plumbing behind {@link dev.snapreel.ffmpeg.FfmpegSink}. */
@NullMarked
package dev.snapreel.ffmpeg.internal;

import org.jspecify.annotations.NullMarked;
