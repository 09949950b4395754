/** JWT (HS256) access and download tokens for the example host. */
@NullMarked
package dev.snapreel.examples.auth;

import org.jspecify.annotations.NullMarked;
