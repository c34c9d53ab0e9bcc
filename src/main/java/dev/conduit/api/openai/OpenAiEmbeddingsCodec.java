package dev.conduit.api.openai;

import dev.conduit.core.EmbeddingResponse;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Usage;
import dev.conduit.pipeline.CallCodec;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.pipeline.TokenCounter;
import dev.conduit.pipeline.TranslatedBody;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI {@code /v1/embeddings} in, another provider's embeddings API out (Gemini's {@code
 * batchEmbedContents}, Vertex AI's {@code predict}), through the canonical embeddings model. When
 * the provider reports no token count, the inputs are counted by the gateway.
 */
public final class OpenAiEmbeddingsCodec implements CallCodec {
  private final InboundCall call;
  private final Deployment deployment;
  private final ProviderAdapter adapter;
  private OpenAiEmbeddings.Decoded decoded;

  public OpenAiEmbeddingsCodec(InboundCall call, Deployment deployment) {
    this.call = call;
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    try {
      decoded = OpenAiEmbeddings.decode(call.body());
      return adapter.embeddingsToUpstream(decoded.request(), deployment.target());
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    EmbeddingResponse response =
        adapter.embeddingsFromUpstream(
            upstreamBody, decoded.request().inputs().size(), deployment.target());
    Usage usage = response.usage();
    if (!usage.isKnown()) {
      long tokens = 0;
      for (String input : decoded.request().inputs()) {
        tokens += TokenCounter.count(input);
      }
      usage = Usage.of(tokens, 0);
      response = new EmbeddingResponse(response.model(), response.vectors(), usage);
    }
    String model = response.model() != null ? response.model() : deployment.model();
    return new TranslatedBody(OpenAiEmbeddings.encode(response, model, decoded.base64()), usage);
  }

  @Override
  public StreamTranslator streamTranslator() {
    throw new IllegalStateException("embeddings are never streamed");
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }
}
