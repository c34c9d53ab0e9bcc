package dev.conduit.pipeline;

import dev.conduit.api.anthropic.AnthropicPassthrough;
import dev.conduit.api.openai.OpenAiEmbeddingsCodec;
import dev.conduit.api.openai.OpenAiPassthrough;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.WireProtocol;
import dev.conduit.route.Deployment;

/**
 * Chooses how a call is expressed to a deployment: pass-through when both speak alike (the fast
 * path), else translation through the canonical model (chat calls, and embeddings for providers
 * that translate them).
 */
public final class CallCodecs {

  public CallCodec forAttempt(InboundCall call, Deployment deployment) {
    boolean sameProtocol =
        deployment
            .provider()
            .adapter()
            .nativeProtocol()
            .map(protocol -> protocol == call.protocol())
            .orElse(false);
    if (sameProtocol) {
      return call.protocol() == WireProtocol.OPENAI
          ? new OpenAiPassthrough(call, deployment)
          : new AnthropicPassthrough(call, deployment);
    }
    if (call.endpoint().isChat()) {
      return new TranslatingCodec(call, deployment);
    }
    if (call.endpoint() == Endpoint.EMBEDDINGS
        && call.protocol() == WireProtocol.OPENAI
        && deployment.provider().adapter().translatesEmbeddings()) {
      return new OpenAiEmbeddingsCodec(call, deployment);
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
