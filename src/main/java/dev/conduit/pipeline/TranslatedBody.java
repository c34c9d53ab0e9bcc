package dev.conduit.pipeline;

import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A response body ready for the caller, and what it reports having consumed.
 *
 * @param body bytes to send
 * @param usage token counts
 * @param units the non-token units the answer consumed (images returned, audio seconds...), which
 *     the call is charged for besides its tokens; null for token-only calls
 * @param contentType the body's {@code Content-Type}; null for {@code application/json}
 */
public record TranslatedBody(Buffer body, Usage usage, Units units, String contentType) {
  public static final String JSON = "application/json";

  /** A token-only JSON answer. */
  public TranslatedBody(Buffer body, Usage usage) {
    this(body, usage, null, null);
  }

  /** A JSON answer with units. */
  public TranslatedBody(Buffer body, Usage usage, Units units) {
    this(body, usage, units, null);
  }

  /** The body's {@code Content-Type} header. */
  public String contentTypeOrJson() {
    return contentType == null ? JSON : contentType;
  }
}
