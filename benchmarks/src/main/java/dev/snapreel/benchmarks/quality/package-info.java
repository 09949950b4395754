/**
 * The quality harness: bit rate, PSNR-Y, SSIM and CPU per recorded minute for each corpus (generated
 * and real camera footage), codec and quality, with the ffmpeg command line searched to the same
 * PSNR in the same run.
 */
@NullMarked
package dev.snapreel.benchmarks.quality;

import org.jspecify.annotations.NullMarked;
