/**
 * A runnable example host for snapreel: the specification's REST and WebSocket API on Javalin, with
 * JWT authentication, face-based focus detection and a camera web page. Start it with {@link
 * dev.snapreel.examples.ExampleServer#main}.
 */
@NullMarked
package dev.snapreel.examples;

import org.jspecify.annotations.NullMarked;
