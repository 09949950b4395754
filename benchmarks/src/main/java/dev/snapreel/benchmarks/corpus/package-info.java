/**
 * Deterministic, download-free test material: webcam-like JPEG snapshot sequences and the arrival
 * times a 5 FPS client produces, so every benchmark figure can be regenerated bit for bit.
 */
@NullMarked
package dev.snapreel.benchmarks.corpus;

import org.jspecify.annotations.NullMarked;
