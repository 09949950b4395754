/** Recording storage on Amazon S3 and S3-compatible stores: {@link dev.snapreel.storage.s3.S3Storage}. */
@NullMarked
package dev.snapreel.storage.s3;

import org.jspecify.annotations.NullMarked;
