/** The recording metadata model and its JSON form, stored beside each video. */
@NullMarked
package dev.snapreel.metadata;

import org.jspecify.annotations.NullMarked;
