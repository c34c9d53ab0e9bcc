package dev.conduit.pipeline;

import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A response body ready for the caller, and the usage it reports.
 *
 * @param body bytes to send
 * @param usage token counts
 */
public record TranslatedBody(Buffer body, Usage usage) {}
