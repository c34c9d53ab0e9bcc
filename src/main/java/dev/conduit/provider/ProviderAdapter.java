package dev.conduit.provider;

import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.WireProtocol;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Speaks one provider's protocol. Adapters are pure translation: they build requests and read
 * responses but never do I/O themselves ({@link UpstreamClient} does), so they can be tested from
 * fixtures. One instance serves one configured provider.
 */
public interface ProviderAdapter {

  /**
   * The client protocol this provider speaks natively. When the caller speaks it too, the gateway
   * forwards the body with only the model rewritten (see {@link #forwardRequest}).
   */
  Optional<WireProtocol> nativeProtocol();

  /**
   * Builds the request that forwards a same-protocol body (already rewritten for the deployment).
   * Asynchronous only because some providers need a token fetch or request signing first.
   */
  Future<UpstreamRequest> forwardRequest(Endpoint endpoint, Buffer body, Deployment deployment,
      boolean stream);

  /** The error the caller sees for a non-2xx upstream response. */
  GatewayError mapError(int status, MultiMap headers, Buffer body);

  /** Whether the upstream accepts {@code stream_options.include_usage} (OpenAI protocol only). */
  default boolean acceptsStreamUsageOption() {
    return true;
  }

  /**
   * A cheap request that shows whether the provider answers and accepts the gateway's key (for
   * example listing models), used by the active health checks; any 2xx means healthy. Empty when
   * the provider has no such call: its health then comes from live traffic only.
   */
  default Optional<UpstreamRequest> healthCheckRequest() {
    return Optional.empty();
  }

  /** A cheap URL to open a connection to ahead of traffic; empty when there is nothing to warm. */
  default Optional<String> warmUrl() {
    return Optional.empty();
  }
}
