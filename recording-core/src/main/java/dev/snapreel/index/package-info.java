/**
 * The recording index SPI: a queryable view of the recordings' metadata (by owner, by session,
 * newest first with keyset pagination; usage per owner; by status and age). The storage stays the
 * source of truth; an index can always be rebuilt from it.
 *
 * <p>The default, {@link dev.snapreel.index.RecordingIndex#storageDerived}, reads the storage and
 * needs no database; {@code recording-index-jdbc} keeps the index in PostgreSQL or an embedded H2.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.snapreel.index;

import org.jspecify.annotations.NullMarked;
