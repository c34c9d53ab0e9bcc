package dev.conduit.core;

import java.util.List;

/**
 * A rerank call: documents to order by their relevance to a query.
 *
 * @param query what the documents are ranked against
 * @param documents the documents' text, in the caller's order (results refer to them by index)
 * @param topN how many of the best results to return; null for all
 * @param maxTokensPerDoc longer documents are truncated to this many tokens; null for the
 *     provider's default
 */
public record RerankRequest(
    String query, List<String> documents, Integer topN, Integer maxTokensPerDoc) {
  public RerankRequest {
    documents = List.copyOf(documents);
  }
}
