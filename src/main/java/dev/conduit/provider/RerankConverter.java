package dev.conduit.provider;

import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import io.vertx.core.buffer.Buffer;

/**
 * One provider's rerank API: where it is and how its bodies read. Pure translation; the provider's
 * adapter adds the credentials and sends nothing itself.
 */
public interface RerankConverter {
  /** The rerank URL under the provider's base URL. */
  String url(String baseUrl);

  /** The upstream body for {@code request}, addressed to {@code model}. */
  Buffer toUpstream(RerankRequest request, String model);

  /**
   * Reads a successful (2xx) answer.
   *
   * @throws InvalidUpstreamResponse when the body is not the provider's rerank answer
   */
  RerankResponse fromUpstream(Buffer body);
}
