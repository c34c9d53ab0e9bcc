package dev.conduit.pipeline;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import io.vertx.core.buffer.Buffer;

/**
 * The caller's protocol as a translating call needs it: its chat body decoded into the canonical
 * model, and canonical answers encoded back. One per client protocol (OpenAI, Anthropic); the
 * provider side of a translation is the {@link dev.conduit.provider.ProviderAdapter}.
 */
public interface ClientDialect {
  /**
   * Decodes the caller's chat request body.
   *
   * @throws dev.conduit.core.GatewayException (400) when the body cannot be expressed in the
   *     canonical model (an unknown content type, a malformed data URL, ...)
   */
  ChatRequest decodeChat(byte[] body);

  /** A complete answer as the caller's response body. */
  Buffer encodeResponse(ChatResponse response);

  /**
   * A fresh encoder for one streamed answer.
   *
   * @param includeUsage whether the caller asked to see usage in the stream (the gateway records it
   *     either way)
   */
  StreamEncoder newStreamEncoder(boolean includeUsage);

  /** How errors look to this caller. */
  ErrorFormat errors();
}
