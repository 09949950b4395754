/** Storage SPI and the local-disk backend: where finished videos and their metadata live. */
@NullMarked
package dev.snapreel.storage;

import org.jspecify.annotations.NullMarked;
