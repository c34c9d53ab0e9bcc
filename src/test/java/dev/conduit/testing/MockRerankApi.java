package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@link MockUpstream}'s rerank APIs, each in its provider's shape: Cohere's {@code POST
 * /v2/rerank} (results, {@code meta.billed_units.search_units}: one per 100 documents), and on
 * {@code POST /v1/rerank} Jina's (model {@code jina-*}: {@code results}, {@code
 * usage.total_tokens}) or Voyage's ({@code data}, {@code usage.total_tokens}). Every answer ranks
 * the documents in reverse order, scores 0.9, 0.8, ..., cut at {@code top_n} (Voyage: {@code
 * top_k}); {@value #TOKENS} tokens.
 */
final class MockRerankApi {
  static final int TOKENS = 120;

  static boolean isRerank(String path) {
    return path.endsWith("/rerank");
  }

  void answer(HttpServerResponse response, String path, JsonNode body) {
    int documents = body.path("documents").size();
    boolean voyage =
        path.endsWith("/v1/rerank") && !body.path("model").asText().startsWith("jina-");
    JsonNode limit = body.path(voyage ? "top_k" : "top_n");
    int count = limit.isInt() ? Math.min(limit.asInt(), documents) : documents;
    StringBuilder results = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        results.append(',');
      }
      results
          .append("{\"index\":")
          .append(documents - 1 - i)
          .append(",\"relevance_score\":")
          .append(0.9 - 0.1 * i)
          .append('}');
    }
    if (path.endsWith("/v2/rerank")) {
      MockUpstream.json(
          response,
          200,
          "{\"id\":\"rerank-mock\",\"results\":["
              + results
              + "],\"meta\":{\"api_version\":{\"version\":\"2\"},\"billed_units\":{\"search_units\":"
              + Math.max(1, (documents + 99) / 100)
              + "}}}");
    } else if (voyage) {
      MockUpstream.json(
          response,
          200,
          "{\"object\":\"list\",\"data\":["
              + results
              + "],\"model\":\""
              + body.path("model").asText()
              + "\",\"usage\":{\"total_tokens\":"
              + TOKENS
              + "}}");
    } else {
      MockUpstream.json(
          response,
          200,
          "{\"model\":\""
              + body.path("model").asText()
              + "\",\"usage\":{\"total_tokens\":"
              + TOKENS
              + "},\"results\":["
              + results
              + "]}");
    }
  }
}
