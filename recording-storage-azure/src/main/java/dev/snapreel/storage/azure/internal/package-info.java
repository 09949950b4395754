/** Implementation details of the Azure backend; not API. */
@NullMarked
package dev.snapreel.storage.azure.internal;

import org.jspecify.annotations.NullMarked;
