package dev.conduit.provider.voyage;

import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import dev.conduit.provider.RerankConverter;
import dev.conduit.provider.TokenBilledRerank;
import io.vertx.core.buffer.Buffer;

/**
 * Voyage AI's reranker (https://docs.voyageai.com/reference/reranker-api, {@code POST
 * https://api.voyageai.com/v1/rerank}): {@code query}, {@code documents}, {@code model}, {@code
 * top_k} (Cohere's {@code top_n}), {@code return_documents}; the answer's {@code data} are {@code
 * index} and {@code relevance_score}, billed in {@code usage.total_tokens}.
 */
public final class VoyageRerankConverter implements RerankConverter {
  public static final VoyageRerankConverter INSTANCE = new VoyageRerankConverter();

  private VoyageRerankConverter() {}

  @Override
  public String url(String baseUrl) {
    return TokenBilledRerank.url(baseUrl);
  }

  @Override
  public Buffer toUpstream(RerankRequest request, String model) {
    return TokenBilledRerank.request(request, model, "top_k");
  }

  @Override
  public RerankResponse fromUpstream(Buffer body) {
    return TokenBilledRerank.response(body, "data");
  }
}
