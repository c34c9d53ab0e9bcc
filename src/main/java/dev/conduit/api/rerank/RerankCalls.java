package dev.conduit.api.rerank;

import dev.conduit.api.CallPreparer;
import dev.conduit.api.openai.OpenAiDialect;
import dev.conduit.core.Endpoint;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.CallCodecs;
import dev.conduit.pipeline.InboundCall;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * {@code /v1/rerank} as the assembly registers it: the body is checked ({@link RerankBodies}) and
 * routed by its {@code model}; every attempt translates it for its provider ({@link RerankCodec}).
 *
 * <p>The call reserves no units: which unit it is billed in (Cohere's search units, Jina's and
 * Voyage's tokens) depends on the provider that answers. A spend-limited key reserves the prompt's
 * estimated tokens at the deployments' input price; the search units Cohere reports are charged
 * when the call settles.
 */
public final class RerankCalls {
  private RerankCalls() {}

  /** Adds the rerank endpoint's preparer and codec. */
  public static void register(
      Map<Endpoint, CallPreparer> preparers, Map<Endpoint, CallCodecs.Factory> codecs) {
    preparers.put(
        Endpoint.RERANK,
        (body, request, models) -> {
          RerankBodies.Decoded decoded = RerankBodies.decode(body);
          models.check(decoded.model(), false);
          return Future.succeededFuture(
              new InboundCall(
                  WireProtocol.OPENAI,
                  Endpoint.RERANK,
                  body,
                  decoded.model(),
                  false,
                  false,
                  null,
                  (upstreamModel, usage) ->
                      Buffer.buffer(body), // always translated, never forwarded
                  OpenAiDialect.INSTANCE,
                  null,
                  null));
        });
    codecs.put(Endpoint.RERANK, RerankCodec::new);
  }
}
