package dev.snapreel.storage;

import java.time.Instant;

/** What a backend knows of a stored object. */
public record StoredObject(String key, long size, Instant lastModified) {}
