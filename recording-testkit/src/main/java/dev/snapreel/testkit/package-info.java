/** Test support for snapreel sinks and hosts: decode-back probing of recorded files. */
@NullMarked
package dev.snapreel.testkit;

import org.jspecify.annotations.NullMarked;
