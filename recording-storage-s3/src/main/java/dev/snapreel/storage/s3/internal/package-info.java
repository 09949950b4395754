/** Not API: file slices and digests used by the S3 upload. */
@NullMarked
package dev.snapreel.storage.s3.internal;

import org.jspecify.annotations.NullMarked;
