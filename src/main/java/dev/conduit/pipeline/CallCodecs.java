package dev.conduit.pipeline;

import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.WireProtocol;
import dev.conduit.route.Deployment;
import java.util.Map;

/**
 * Chooses how a call is expressed to a deployment: pass-through when both speak alike (the fast
 * path), else translation through the canonical model (chat calls, and embeddings for providers
 * that translate them). The codecs that know a client protocol's wire format live with that
 * protocol's API; the assembly registers them here by protocol.
 */
public final class CallCodecs {
  /** Builds the codec for one attempt at one deployment. */
  @FunctionalInterface
  public interface Factory {
    CallCodec create(InboundCall call, Deployment deployment);
  }

  private final Map<WireProtocol, Factory> passthroughs;
  private final Map<WireProtocol, Factory> embeddingTranslations;
  private final Map<Endpoint, Factory> endpoints;

  /**
   * @param passthroughs per client protocol, the same-protocol codec (body forwarded with only the
   *     model rewritten)
   * @param embeddingTranslations per client protocol, the codec that translates embeddings calls
   *     for providers whose embeddings API is not the caller's
   */
  public CallCodecs(
      Map<WireProtocol, Factory> passthroughs, Map<WireProtocol, Factory> embeddingTranslations) {
    this(passthroughs, embeddingTranslations, Map.of());
  }

  /**
   * @param endpoints per endpoint with its own wire format (images, audio, moderations, rerank),
   *     the codec for any deployment: it passes the call through or translates it by provider, and
   *     throws {@link GatewayException} (400, naming the model and provider) for a provider that
   *     cannot serve the endpoint
   */
  public CallCodecs(
      Map<WireProtocol, Factory> passthroughs,
      Map<WireProtocol, Factory> embeddingTranslations,
      Map<Endpoint, Factory> endpoints) {
    this.passthroughs = Map.copyOf(passthroughs);
    this.embeddingTranslations = Map.copyOf(embeddingTranslations);
    this.endpoints = Map.copyOf(endpoints);
  }

  public CallCodec forAttempt(InboundCall call, Deployment deployment) {
    Factory endpoint = endpoints.get(call.endpoint());
    if (endpoint != null) {
      return endpoint.create(call, deployment);
    }
    boolean sameProtocol =
        deployment
            .provider()
            .adapter()
            .nativeProtocol()
            .map(protocol -> protocol == call.protocol())
            .orElse(false);
    Factory passthrough = sameProtocol ? passthroughs.get(call.protocol()) : null;
    if (passthrough != null) {
      return passthrough.create(call, deployment);
    }
    if (call.endpoint().isChat()) {
      return new TranslatingCodec(call, deployment);
    }
    Factory embeddings = embeddingTranslations.get(call.protocol());
    if (call.endpoint() == Endpoint.EMBEDDINGS
        && embeddings != null
        && deployment.provider().adapter().translatesEmbeddings()) {
      return embeddings.create(call, deployment);
    }
    throw new GatewayException(
        GatewayError.badRequest(
            "unsupported_provider",
            "Provider '"
                + deployment.provider().name()
                + "' cannot serve "
                + call.endpoint().openAiPath()
                + " calls; route them to an OpenAI-compatible "
                + "provider.",
            "model"));
  }
}
