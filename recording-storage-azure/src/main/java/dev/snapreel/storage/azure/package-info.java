/** Recording storage on Azure Blob Storage: {@link dev.snapreel.storage.azure.AzureBlobStorage}. */
@NullMarked
package dev.snapreel.storage.azure;

import org.jspecify.annotations.NullMarked;
