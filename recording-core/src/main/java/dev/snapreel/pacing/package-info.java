/** What a recording shows: snapshot times mapped onto its constant frame grid ({@link dev.snapreel.pacing.Pacing}). */
@NullMarked
package dev.snapreel.pacing;

import org.jspecify.annotations.NullMarked;
