package dev.snapreel.storage;

import java.time.Instant;

/**
 * What a backend knows of a stored object.
 *
 * @since 0.1.0
 */
public record StoredObject(String key, long size, Instant lastModified) {}
