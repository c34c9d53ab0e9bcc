package dev.conduit.core;

import java.util.List;

/**
 * An embeddings request in the gateway's own model, for providers whose embeddings API differs from
 * the caller's (OpenAI callers reach Gemini this way; same-protocol calls are forwarded).
 *
 * @param inputs the texts to embed, in order (never empty)
 * @param dimensions the vector size asked for; null for the model's default
 * @param user an opaque end-user id; may be null
 */
public record EmbeddingRequest(List<String> inputs, Integer dimensions, String user) {
  public EmbeddingRequest {
    inputs = List.copyOf(inputs);
  }
}
