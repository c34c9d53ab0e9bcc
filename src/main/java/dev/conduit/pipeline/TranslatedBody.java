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
 * @param unitVariant the price variant the answer reports for its units (images: the {@code
 *     SIZE/QUALITY} the provider actually made, when the caller left it to the provider), which
 *     replaces the one the call was admitted with; null to keep that one
 */
public record TranslatedBody(
    Buffer body, Usage usage, Units units, String contentType, String unitVariant) {
  public static final String JSON = "application/json";

  /** An answer priced at the variant the call was admitted with. */
  public TranslatedBody(Buffer body, Usage usage, Units units, String contentType) {
    this(body, usage, units, contentType, null);
  }

  /** A token-only JSON answer. */
  public TranslatedBody(Buffer body, Usage usage) {
    this(body, usage, null, null, null);
  }

  /** A JSON answer with units. */
  public TranslatedBody(Buffer body, Usage usage, Units units) {
    this(body, usage, units, null, null);
  }

  /** The body's {@code Content-Type} header. */
  public String contentTypeOrJson() {
    return contentType == null ? JSON : contentType;
  }
}
