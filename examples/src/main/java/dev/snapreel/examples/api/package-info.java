/** The HTTP and WebSocket endpoints of the example host, as the specification names them. */
@NullMarked
package dev.snapreel.examples.api;

import org.jspecify.annotations.NullMarked;
