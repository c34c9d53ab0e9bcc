package dev.conduit.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import dev.conduit.core.Usage;
import dev.conduit.provider.RerankConverter;
import dev.conduit.provider.RerankResults;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.buffer.Buffer;

/**
 * Cohere's Rerank v2 (https://docs.cohere.com/reference/rerank): {@code POST /v2/rerank} with
 * {@code model}, {@code query}, {@code documents} (strings), {@code top_n}, {@code
 * max_tokens_per_doc}; the answer's {@code results} are {@code index} and {@code relevance_score},
 * billed in {@code meta.billed_units.search_units}. v2 returns no documents: the gateway adds them
 * from the request when the caller asks.
 */
public final class CohereRerankConverter implements RerankConverter {
  public static final CohereRerankConverter INSTANCE = new CohereRerankConverter();

  private CohereRerankConverter() {}

  /**
   * Rerank lives at the API's root, beside the OpenAI compatibility API the base URL names ({@code
   * https://api.cohere.com/compatibility/v1}): that suffix, or a version, is dropped.
   */
  @Override
  public String url(String baseUrl) {
    String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    for (String suffix : new String[] {"/compatibility/v1", "/v1", "/v2"}) {
      if (root.endsWith(suffix)) {
        root = root.substring(0, root.length() - suffix.length());
        break;
      }
    }
    return root + "/v2/rerank";
  }

  @Override
  public Buffer toUpstream(RerankRequest request, String model) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
    body.put("query", request.query());
    request.documents().forEach(body.putArray("documents")::add);
    if (request.topN() != null) {
      body.put("top_n", request.topN());
    }
    if (request.maxTokensPerDoc() != null) {
      body.put("max_tokens_per_doc", request.maxTokensPerDoc());
    }
    return Buffer.buffer(body.toString());
  }

  @Override
  public RerankResponse fromUpstream(Buffer body) {
    JsonNode root = UpstreamJson.readObject(body);
    JsonNode units = root.path("meta").path("billed_units").path("search_units");
    return new RerankResponse(
        root.path("id").isTextual() ? root.path("id").asText() : null,
        RerankResults.read(root.path("results")),
        units.isNumber() ? units.asLong() : null,
        Usage.NONE);
  }
}
