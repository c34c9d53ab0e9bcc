package dev.conduit.provider.anthropic;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayException;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.RegionalEndpoints;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
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
  private final String baseUrl;
  private final ApiKeyRing keys;
  private final String apiVersion;
  private final int defaultMaxTokens;

  public AnthropicAdapter(
      String providerName,
      String baseUrl,
      ApiKeyRing keys,
      String apiVersion,
      int defaultMaxTokens) {
    this.providerName = providerName;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.keys = keys;
    this.apiVersion = apiVersion;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  @Override
  public Optional<WireProtocol> nativeProtocol() {
    return Optional.of(WireProtocol.ANTHROPIC);
  }

  @Override
  public Future<UpstreamRequest> forwardRequest(
      Endpoint endpoint, Buffer body, UpstreamTarget target, boolean stream) {
    if (endpoint != Endpoint.MESSAGES) {
      return Future.failedFuture(
          GatewayException.unsupported(providerName, endpoint.openAiPath() + " calls", null));
    }
    return Future.succeededFuture(request(body, target, stream));
  }

  @Override
  public Future<UpstreamRequest> toUpstream(ChatRequest request, UpstreamTarget target) {
    try {
      Buffer body =
          AnthropicRequestConverter.toUpstream(
              request, target.model(), providerName, defaultMaxTokens);
      return Future.succeededFuture(request(body, target, request.stream()));
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  private UpstreamRequest request(Buffer body, UpstreamTarget target, boolean stream) {
    MultiMap headers =
        headers(stream ? "text/event-stream" : "application/json")
            .add("Content-Type", "application/json");
    String key = keys.current();
    if (key != null) {
      headers.add("x-api-key", key);
    }
    String base = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    return UpstreamRequest.post(url(base, "/messages"), headers, body).withApiKey(key);
  }

  private MultiMap headers(String accept) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Accept", accept)
        .add("anthropic-version", apiVersion);
  }

  /** {@code path} under the API's {@code /v1}, whether or not the base URL ends with it. */
  private static String url(String base, String path) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return trimmed + (trimmed.endsWith("/v1") ? "" : "/v1") + path;
  }

  /** Listing models (https://docs.anthropic.com/en/api/models-list) checks the key cheaply. */
  @Override
  public Optional<UpstreamRequest> healthCheckRequest() {
    MultiMap headers = headers("application/json");
    String key = keys.current();
    if (key != null) {
      headers.add("x-api-key", key);
    }
    return Optional.of(UpstreamRequest.get(url(baseUrl, "/models"), headers).withApiKey(key));
  }

  @Override
  public ChatResponse fromUpstream(Buffer body, UpstreamTarget target) {
    return AnthropicResponseConverter.fromUpstream(body);
  }

  @Override
  public StreamParser newStreamParser(UpstreamTarget target) {
    return new AnthropicStreamParser(
        payload -> AnthropicErrorMapper.streamError(providerName, payload, keys));
  }

  @Override
  public UpstreamError mapError(int status, MultiMap headers, Buffer body) {
    return AnthropicErrorMapper.mapError(providerName, status, body, keys);
  }

  @Override
  public Optional<String> warmUrl() {
    return Optional.of(baseUrl);
  }
}
