package dev.conduit.pipeline;

import dev.conduit.core.FinishReason;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A response body ready for the caller, and what the codec learnt of it while reading it (so the
 * response cache need not read it again).
 *
 * @param body bytes to send
 * @param usage token counts
 * @param finish why the answer ended (over all its choices: {@code LENGTH} if any was cut); null
 *     when the body does not say, or the call has no such thing (embeddings)
 */
public record TranslatedBody(Buffer body, Usage usage, FinishReason finish) {}
