/** Not API: the per-recording writer thread and its queue. May change without notice. */
@NullMarked
package dev.snapreel.internal;

import org.jspecify.annotations.NullMarked;
