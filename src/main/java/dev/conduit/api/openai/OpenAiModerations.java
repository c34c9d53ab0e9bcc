package dev.conduit.api.openai;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.pipeline.CallCodec;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.route.Deployment;

/**
 * {@code POST /v1/moderations} (https://platform.openai.com/docs/api-reference/moderations): the
 * OpenAI body is forwarded with only {@code model} rewritten to providers that serve moderations
 * (OpenAI, Azure OpenAI); no other provider has an equivalent to translate to.
 */
public final class OpenAiModerations {
  private OpenAiModerations() {}

  /**
   * The codec for one attempt.
   *
   * @throws GatewayException (400 {@code unsupported_provider}) for a provider without moderations
   */
  public static CallCodec codec(InboundCall call, Deployment deployment) {
    if (!deployment.provider().adapter().servesModerations()) {
      throw new GatewayException(
          GatewayError.badRequest(
              "unsupported_provider",
              "Provider '"
                  + deployment.provider().name()
                  + "' cannot serve moderations calls (model '"
                  + call.model()
                  + "'); route them to OpenAI or Azure OpenAI.",
              "model"));
    }
    return new OpenAiPassthrough(call, deployment);
  }
}
