package dev.conduit.api.rerank;

import dev.conduit.core.GatewayException;
import dev.conduit.core.Ids;
import dev.conduit.core.RerankResponse;
import dev.conduit.core.Units;
import dev.conduit.pipeline.CallCodec;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.pipeline.TranslatedBody;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * {@code /v1/rerank} in Cohere's shape, to a provider's own rerank API (Cohere, Jina, Voyage)
 * through {@link dev.conduit.core.RerankRequest}: every provider is translated, so the caller gets
 * one shape whichever answers. A provider without a rerank API answers 400.
 */
public final class RerankCodec implements CallCodec {
  private final InboundCall call;
  private final Deployment deployment;
  private final ProviderAdapter adapter;
  private RerankBodies.Decoded decoded;
  private RerankResponse answer;

  public RerankCodec(InboundCall call, Deployment deployment) {
    this.call = call;
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    if (!adapter.servesRerank()) {
      return Future.failedFuture(
          GatewayException.unsupported(deployment.provider().name(), "rerank", "model"));
    }
    try {
      decoded = RerankBodies.decode(call.body());
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
    return adapter.rerankToUpstream(decoded.request(), deployment.target());
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    answer = adapter.rerankFromUpstream(upstreamBody, deployment.target());
    return new TranslatedBody(
        RerankBodies.encode(answer, decoded, "rerank-" + Ids.uuid7()),
        answer.usage(),
        answer.searchUnits() == null ? null : Units.searchUnits(answer.searchUnits()));
  }

  /** The provider's answer, once read; null before. */
  public RerankResponse answer() {
    return answer;
  }

  @Override
  public StreamTranslator streamTranslator() {
    throw new IllegalStateException("rerank calls are never streamed");
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }
}
