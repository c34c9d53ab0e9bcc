package dev.conduit.provider.simulated;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Endpoint;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
import dev.conduit.provider.openai.OpenAiErrorMapper;
import dev.conduit.provider.openai.OpenAiPresets;
import dev.conduit.provider.openai.OpenAiRequestConverter;
import dev.conduit.provider.openai.OpenAiResponseConverter;
import dev.conduit.provider.openai.OpenAiStreamParser;
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
  public Future<UpstreamRequest> forwardRequest(
      Endpoint endpoint, Buffer body, UpstreamTarget target, boolean stream) {
    return Future.succeededFuture(
        UpstreamRequest.post(
            SimulatedUpstream.SCHEME + "://" + providerName + "/v1/" + endpoint.openAiPath(),
            MultiMap.caseInsensitiveMultiMap(),
            body));
  }

  @Override
  public Future<UpstreamRequest> toUpstream(ChatRequest request, UpstreamTarget target) {
    Buffer body = OpenAiRequestConverter.toUpstream(request, target.model(), OpenAiPresets.OPENAI);
    return forwardRequest(Endpoint.CHAT_COMPLETIONS, body, target, request.stream());
  }

  @Override
  public ChatResponse fromUpstream(Buffer body, UpstreamTarget target) {
    return OpenAiResponseConverter.fromUpstream(body);
  }

  @Override
  public StreamParser newStreamParser(UpstreamTarget target) {
    return new OpenAiStreamParser(
        error -> OpenAiErrorMapper.streamError(providerName, error, null));
  }

  @Override
  public UpstreamError mapError(int status, MultiMap headers, Buffer body) {
    return UpstreamErrors.fromOpenAiShape(providerName, status, body, null);
  }
}
