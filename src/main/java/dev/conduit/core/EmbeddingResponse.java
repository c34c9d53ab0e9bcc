package dev.conduit.core;

import java.util.List;

/**
 * Embeddings in the gateway's own model: one vector per input, in input order.
 *
 * @param model the model that answered, as the provider names it; null when it did not say
 * @param vectors the embeddings
 * @param usage token counts ({@link Usage#NONE} when the provider reported none)
 */
public record EmbeddingResponse(String model, List<double[]> vectors, Usage usage) {
  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
    usage = usage == null ? Usage.NONE : usage;
  }
}
