package dev.conduit.pipeline;

import dev.conduit.core.FinishReason;
import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A response body ready for the caller, what it reports having consumed, and what the codec learnt
 * of it while reading it (so the response cache need not read it again).
 *
 * @param body bytes to send
 * @param usage token counts
 * @param finish why the answer ended (over all its choices: {@code LENGTH} if any was cut); null
 *     when the body does not say, or the call has no such thing (embeddings, images...)
 * @param units the non-token units the answer consumed (images returned, audio seconds...), which
 *     the call is charged for besides its tokens; null for token-only calls
 * @param contentType the body's {@code Content-Type}; null for {@code application/json}
 * @param unitVariant the price variant the answer reports for its units (images: the {@code
 *     SIZE/QUALITY} the provider actually made, when the caller left it to the provider), which
 *     replaces the one the call was admitted with; null to keep that one
 */
public record TranslatedBody(
    Buffer body,
    Usage usage,
    FinishReason finish,
    Units units,
    String contentType,
    String unitVariant) {
  public static final String JSON = "application/json";

  /** An answer with units, priced at the variant the answer reports. */
  public TranslatedBody(
      Buffer body, Usage usage, Units units, String contentType, String unitVariant) {
    this(body, usage, null, units, contentType, unitVariant);
  }

  /** An answer priced at the variant the call was admitted with. */
  public TranslatedBody(Buffer body, Usage usage, Units units, String contentType) {
    this(body, usage, null, units, contentType, null);
  }

  /** A token-only JSON answer that does not say how it ended. */
  public TranslatedBody(Buffer body, Usage usage) {
    this(body, usage, null, null, null, null);
  }

  /** A token-only JSON chat or completion answer. */
  public TranslatedBody(Buffer body, Usage usage, FinishReason finish) {
    this(body, usage, finish, null, null, null);
  }

  /** A JSON answer with units. */
  public TranslatedBody(Buffer body, Usage usage, Units units) {
    this(body, usage, null, units, null, null);
  }

  /** The body's {@code Content-Type} header. */
  public String contentTypeOrJson() {
    return contentType == null ? JSON : contentType;
  }
}
