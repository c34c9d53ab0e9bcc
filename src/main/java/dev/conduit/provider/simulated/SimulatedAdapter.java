package dev.conduit.provider.simulated;

import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/** Speaks OpenAI's protocol to the in-process {@link SimulatedUpstream}. */
final class SimulatedAdapter implements ProviderAdapter {
  private final String providerName;

  SimulatedAdapter(String providerName) {
    this.providerName = providerName;
  }

  @Override
  public Optional<WireProtocol> nativeProtocol() {
    return Optional.of(WireProtocol.OPENAI);
  }

  @Override
  public Future<UpstreamRequest> forwardRequest(Endpoint endpoint, Buffer body,
      Deployment deployment, boolean stream) {
    return Future.succeededFuture(UpstreamRequest.post(
        SimulatedUpstream.SCHEME + "://" + providerName + "/v1/" + endpoint.openAiPath(),
        MultiMap.caseInsensitiveMultiMap(), body));
  }

  @Override
  public GatewayError mapError(int status, MultiMap headers, Buffer body) {
    return UpstreamErrors.fromOpenAiShape(providerName, status, body, null);
  }
}
