/** JMH per-stage benchmarks: decode, pacing, and encoding of unique versus duplicated frames. */
@NullMarked
package dev.snapreel.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
