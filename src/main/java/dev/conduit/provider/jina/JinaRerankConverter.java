package dev.conduit.provider.jina;

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
 * Jina's reranker (https://jina.ai/reranker/, {@code POST https://api.jina.ai/v1/rerank}): {@code
 * model}, {@code query}, {@code documents}, {@code top_n}, {@code return_documents}; the answer's
 * {@code results} are {@code index} and {@code relevance_score}, billed in {@code
 * usage.total_tokens}.
 */
public final class JinaRerankConverter implements RerankConverter {
  public static final JinaRerankConverter INSTANCE = new JinaRerankConverter();

  private JinaRerankConverter() {}

  @Override
  public String url(String baseUrl) {
    return (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + "rerank";
  }

  @Override
  public Buffer toUpstream(RerankRequest request, String model) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
    body.put("query", request.query());
    request.documents().forEach(body.putArray("documents")::add);
    if (request.topN() != null) {
      body.put("top_n", request.topN());
    }
    // The gateway adds the documents itself; no need to have them sent back.
    body.put("return_documents", false);
    return Buffer.buffer(body.toString());
  }

  @Override
  public RerankResponse fromUpstream(Buffer body) {
    JsonNode root = UpstreamJson.readObject(body);
    return new RerankResponse(
        null,
        RerankResults.read(root.path("results")),
        null,
        Usage.of(root.path("usage").path("total_tokens").asLong(0), 0));
  }
}
