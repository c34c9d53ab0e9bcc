package dev.conduit.provider.openai;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Endpoint;
import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
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
import io.vertx.core.http.HttpHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * OpenAI Chat Completions, Completions, Embeddings and audio over HTTP with a bearer key
 * (https://platform.openai.com/docs/api-reference), and the OpenAI-compatible services of {@link
 * OpenAiPresets}. OpenAI callers are forwarded, not translated; other callers (Anthropic's {@code
 * /v1/messages}) are translated through the canonical model. A preset with a rerank API of its own
 * (Cohere, Jina, Voyage) serves {@code /v1/rerank} through its {@link
 * dev.conduit.provider.RerankConverter}.
 */
public final class OpenAiAdapter implements ProviderAdapter {
  private final String providerName;
  private final String baseUrl;
  private final ApiKeyRing keys;
  private final OpenAiPreset preset;

  public OpenAiAdapter(String providerName, String baseUrl, ApiKeyRing keys, OpenAiPreset preset) {
    this.providerName = providerName;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.keys = keys;
    this.preset = preset;
  }

  @Override
  public Optional<WireProtocol> nativeProtocol() {
    return Optional.of(WireProtocol.OPENAI);
  }

  @Override
  public Future<UpstreamRequest> forwardRequest(
      Endpoint endpoint, Buffer body, UpstreamTarget target, boolean stream) {
    return Future.succeededFuture(request(endpoint, body, target, stream));
  }

  @Override
  public Future<UpstreamRequest> toUpstream(ChatRequest request, UpstreamTarget target) {
    Buffer body = OpenAiRequestConverter.toUpstream(request, target.model(), preset);
    return Future.succeededFuture(
        request(Endpoint.CHAT_COMPLETIONS, body, target, request.stream()));
  }

  private UpstreamRequest request(
      Endpoint endpoint, Buffer body, UpstreamTarget target, boolean stream) {
    String base = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    return post(base + "/" + endpoint.openAiPath(), body, stream);
  }

  private UpstreamRequest post(String url, Buffer body, boolean stream) {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add(HttpHeaders.CONTENT_TYPE, "application/json")
            .add(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json");
    String key = keys.current();
    if (key != null) {
      headers.add(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }
    return UpstreamRequest.post(url, headers, body).withApiKey(key);
  }

  @Override
  public boolean servesRerank() {
    return preset.rerank() != null;
  }

  @Override
  public Future<UpstreamRequest> rerankToUpstream(RerankRequest request, UpstreamTarget target) {
    if (preset.rerank() == null) {
      return ProviderAdapter.super.rerankToUpstream(request, target);
    }
    String base = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    return Future.succeededFuture(
        post(
            preset.rerank().url(base), preset.rerank().toUpstream(request, target.model()), false));
  }

  @Override
  public RerankResponse rerankFromUpstream(Buffer body, UpstreamTarget target) {
    if (preset.rerank() == null) {
      return ProviderAdapter.super.rerankFromUpstream(body, target);
    }
    return preset.rerank().fromUpstream(body);
  }

  @Override
  public ChatResponse fromUpstream(Buffer body, UpstreamTarget target) {
    return OpenAiResponseConverter.fromUpstream(body);
  }

  @Override
  public StreamParser newStreamParser(UpstreamTarget target) {
    return new OpenAiStreamParser(
        error -> OpenAiErrorMapper.streamError(providerName, error, keys));
  }

  @Override
  public UpstreamError mapError(int status, MultiMap headers, Buffer body) {
    return OpenAiErrorMapper.mapError(providerName, status, body, keys);
  }

  @Override
  public boolean acceptsStreamUsageOption() {
    return preset.acceptsStreamUsageOption();
  }

  /** OpenAI itself; the compatible services are reached through Chat Completions. */
  @Override
  public boolean servesResponses() {
    return preset == OpenAiPresets.OPENAI;
  }

  /** OpenAI itself (https://platform.openai.com/docs/api-reference/moderations). */
  @Override
  public boolean servesModerations() {
    return preset == OpenAiPresets.OPENAI;
  }

  /**
   * OpenAI's Realtime WebSocket, {@code /v1/realtime?model=...} with the bearer key
   * (https://platform.openai.com/docs/guides/realtime-websocket). The compatible services have
   * none.
   */
  @Override
  public Future<UpstreamRequest> realtimeRequest(UpstreamTarget target) {
    if (preset != OpenAiPresets.OPENAI) {
      return ProviderAdapter.super.realtimeRequest(target);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String key = keys.current();
    if (key != null) {
      headers.add(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }
    String base = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    return Future.succeededFuture(
        UpstreamRequest.get(
                base
                    + "/realtime?model="
                    + URLEncoder.encode(target.model(), StandardCharsets.UTF_8),
                headers)
            .withApiKey(key));
  }

  @Override
  public Optional<UpstreamRequest> healthCheckRequest() {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.ACCEPT, "application/json");
    String key = keys.current();
    if (key != null) {
      headers.add(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }
    return Optional.of(UpstreamRequest.get(baseUrl + "/models", headers).withApiKey(key));
  }

  @Override
  public Optional<String> warmUrl() {
    return Optional.of(baseUrl + "/models");
  }
}
