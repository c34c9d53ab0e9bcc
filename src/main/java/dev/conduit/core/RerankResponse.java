package dev.conduit.core;

import java.util.List;

/**
 * A rerank answer.
 *
 * @param id the provider's id of the call, or null
 * @param results the ranked documents, most relevant first
 * @param searchUnits search units billed (Cohere), or null when the provider bills tokens
 * @param usage tokens billed (Jina, Voyage), or {@link Usage#NONE}
 */
public record RerankResponse(String id, List<Result> results, Long searchUnits, Usage usage) {
  public RerankResponse {
    results = List.copyOf(results);
  }

  /**
   * One ranked document.
   *
   * @param index its position in the request's documents
   * @param relevanceScore its relevance, higher is more relevant
   */
  public record Result(int index, double relevanceScore) {}
}
