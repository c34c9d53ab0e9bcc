package dev.conduit.provider.anthropic;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.BaseUrls;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code x-api-key}, {@code
 * anthropic-version}). Callers of the gateway's own {@code /v1/messages} are forwarded; OpenAI
 * callers are translated through the canonical model. Anthropic serves chat only.
 */
public final class AnthropicAdapter implements ProviderAdapter {
  private final String providerName;
  private final BaseUrls baseUrls;
  private final ApiKeyRing keys;
  private final String apiVersion;
  private final int defaultMaxTokens;

  public AnthropicAdapter(String providerName, BaseUrls baseUrls, ApiKeyRing keys,
      String apiVersion, int defaultMaxTokens) {
    this.providerName = providerName;
    this.baseUrls = baseUrls;
    this.keys = keys;
    this.apiVersion = apiVersion;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  @Override
  public Optional<WireProtocol> nativeProtocol() {
    return Optional.of(WireProtocol.ANTHROPIC);
  }

  @Override
  public Future<UpstreamRequest> forwardRequest(Endpoint endpoint, Buffer body,
      Deployment deployment, boolean stream) {
    if (endpoint != Endpoint.MESSAGES) {
      return Future.failedFuture(GatewayException.unsupported(providerName,
          endpoint.openAiPath() + " calls", null));
    }
    return Future.succeededFuture(request(body, deployment, stream));
  }

  @Override
  public Future<UpstreamRequest> toUpstream(ChatRequest request, Deployment deployment) {
    try {
      Buffer body = AnthropicRequestConverter.toUpstream(request, deployment.model(),
          providerName, defaultMaxTokens);
      return Future.succeededFuture(request(body, deployment, request.stream()));
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  private UpstreamRequest request(Buffer body, Deployment deployment, boolean stream) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("Accept", stream ? "text/event-stream" : "application/json")
        .add("anthropic-version", apiVersion);
    String key = keys.current();
    if (key != null) {
      headers.add("x-api-key", key);
    }
    String base = baseUrls.resolve(deployment.region()).baseUrl();
    String path = base.endsWith("/v1") ? "/messages" : "/v1/messages";
    return UpstreamRequest.post(base + path, headers, body);
  }

  @Override
  public ChatResponse fromUpstream(Buffer body, Deployment deployment) {
    return AnthropicResponseConverter.fromUpstream(body);
  }

  @Override
  public StreamParser newStreamParser(Deployment deployment) {
    return new AnthropicStreamParser(
        payload -> AnthropicErrorMapper.streamError(providerName, payload, keys));
  }

  @Override
  public GatewayError mapError(int status, MultiMap headers, Buffer body) {
    return AnthropicErrorMapper.mapError(providerName, status, body, keys);
  }

  @Override
  public Optional<String> warmUrl() {
    String base = baseUrls.resolve(null).baseUrl();
    return base == null ? Optional.empty() : Optional.of(base);
  }
}
