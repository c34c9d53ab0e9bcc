package dev.conduit.provider.jina;

import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import dev.conduit.provider.RerankConverter;
import dev.conduit.provider.TokenBilledRerank;
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
    return TokenBilledRerank.url(baseUrl);
  }

  @Override
  public Buffer toUpstream(RerankRequest request, String model) {
    return TokenBilledRerank.request(request, model, "top_n");
  }

  @Override
  public RerankResponse fromUpstream(Buffer body) {
    return TokenBilledRerank.response(body, "results");
  }
}
