/**
 * snapreel core: the recording service, its SPIs, metadata, local storage and the upload pipeline.
 * Exports only the API packages; {@code dev.snapreel.internal} is not exported.
 *
 * @since 0.1.0
 */
module dev.snapreel.core {
  requires transitive org.jspecify;
  requires transitive com.fasterxml.jackson.annotation;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires org.slf4j;

  exports dev.snapreel;
  exports dev.snapreel.metadata;
  exports dev.snapreel.pacing;
  exports dev.snapreel.sink;
  exports dev.snapreel.storage;
  exports dev.snapreel.upload;

  opens dev.snapreel.metadata to
      com.fasterxml.jackson.databind;
}
