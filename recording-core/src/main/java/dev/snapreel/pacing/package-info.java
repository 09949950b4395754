/** Pure, deterministic mapping of irregular snapshot times onto a constant frame grid. */
@NullMarked
package dev.snapreel.pacing;

import org.jspecify.annotations.NullMarked;
