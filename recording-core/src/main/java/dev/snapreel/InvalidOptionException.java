package dev.snapreel;

import static java.util.Objects.requireNonNull;

/**
 * A recording option or identifier is invalid; {@link #field()} names it as the API spells it.
 *
 * @since 0.1.0
 */
public class InvalidOptionException extends SnapreelException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidOptionException(String field, String message) {
    super(field + ": " + message);
    this.field = requireNonNull(field, "field");
  }

  /** The option's name in snake_case, e.g. {@code fps}, {@code resolution}, {@code session_id}. */
  public String field() {
    return field;
  }
}
