package dev.conduit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.RerankResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the ranked list every rerank API answers with: items of {@code index}, {@code
 * relevance_score}.
 */
public final class RerankResults {
  private RerankResults() {}

  /**
   * @param items the answer's array of results
   * @throws InvalidUpstreamResponse when it is not an array of such items
   */
  public static List<RerankResponse.Result> read(JsonNode items) {
    if (!items.isArray()) {
      throw new InvalidUpstreamResponse("the rerank answer has no list of results");
    }
    List<RerankResponse.Result> results = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      if (!item.path("index").canConvertToInt() || !item.path("relevance_score").isNumber()) {
        throw new InvalidUpstreamResponse("a rerank result has no index or relevance_score");
      }
      results.add(
          new RerankResponse.Result(
              item.path("index").asInt(), item.path("relevance_score").asDouble()));
    }
    return results;
  }
}
