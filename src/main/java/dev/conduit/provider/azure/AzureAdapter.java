package dev.conduit.provider.azure;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.RegionalEndpoints;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
import dev.conduit.provider.openai.OpenAiErrorMapper;
import dev.conduit.provider.openai.OpenAiPreset;
import dev.conduit.provider.openai.OpenAiRequestConverter;
import dev.conduit.provider.openai.OpenAiResponseConverter;
import dev.conduit.provider.openai.OpenAiStreamParser;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Azure OpenAI (https://learn.microsoft.com/azure/ai-foundry/openai/reference). It speaks OpenAI's
 * protocol, so OpenAI callers take the pass-through fast path; only the URL and the key header
 * differ. Dated API versions address the deployment in the path ({@code
 * /openai/deployments/{deployment}/chat/completions?api-version=...}); {@code apiVersion: v1} uses
 * the v1 API ({@code /openai/v1/chat/completions}, deployment in the body's {@code model}).
 */
public final class AzureAdapter implements ProviderAdapter {
  /** The latest generally available dated inference API version. */
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  static final String V1 = "v1";

  /**
   * The preview API version of the Realtime WebSocket when the provider's own {@code apiVersion} is
   * a GA inference version, which has no {@code /openai/realtime}.
   */
  static final String REALTIME_PREVIEW_API_VERSION = "2025-04-01-preview";

  /** Azure's OpenAI dialect: current token field, stream usage accepted. */
  private static final OpenAiPreset AZURE_DIALECT =
      new OpenAiPreset("azure", null, true, true, "max_completion_tokens");

  private final String providerName;

  /** The resource endpoint; null when only regional endpoints are configured. */
  private final String baseUrl;

  private final ApiKeyRing keys;
  private final String apiVersion;

  public AzureAdapter(String providerName, String baseUrl, ApiKeyRing keys, String apiVersion) {
    this.providerName = providerName;
    this.baseUrl = baseUrl;
    this.keys = keys;
    this.apiVersion = apiVersion;
  }

  @Override
  public Optional<WireProtocol> nativeProtocol() {
    return Optional.of(WireProtocol.OPENAI);
  }

  @Override
  public Future<UpstreamRequest> forwardRequest(
      Endpoint endpoint, Buffer body, UpstreamTarget target, boolean stream) {
    return request(endpoint, body, target, stream);
  }

  @Override
  public Future<UpstreamRequest> toUpstream(ChatRequest request, UpstreamTarget target) {
    Buffer body = OpenAiRequestConverter.toUpstream(request, target.model(), AZURE_DIALECT);
    return request(Endpoint.CHAT_COMPLETIONS, body, target, request.stream());
  }

  private Future<UpstreamRequest> request(
      Endpoint endpoint, Buffer body, UpstreamTarget target, boolean stream) {
    String base = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    if (base == null) {
      return Future.failedFuture(
          new GatewayException(
              GatewayError.upstreamUnreachable(
                  providerName, "no endpoint is configured for region '" + target.region() + "'")));
    }
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add("Accept", stream ? "text/event-stream" : "application/json");
    String key = keys.current();
    if (key != null) {
      headers.add("api-key", key);
    }
    return Future.succeededFuture(
        UpstreamRequest.post(url(base, endpoint, target), headers, body).withApiKey(key));
  }

  /**
   * Azure's Realtime WebSocket
   * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/realtime-audio-websockets): with
   * {@code apiVersion: v1} the GA {@code /openai/v1/realtime?model=}, else the preview {@code
   * /openai/realtime?api-version=...&deployment=...}; the key in {@code api-key}.
   */
  @Override
  public Future<UpstreamRequest> realtimeRequest(UpstreamTarget target) {
    String base = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    if (base == null) {
      return Future.failedFuture(
          new GatewayException(
              GatewayError.upstreamUnreachable(
                  providerName, "no endpoint is configured for region '" + target.region() + "'")));
    }
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/openai")) {
      base = base.substring(0, base.length() - "/openai".length());
    }
    String url =
        V1.equals(apiVersion)
            ? base + "/openai/v1/realtime?model=" + pathSegment(target.model())
            : base
                + "/openai/realtime?api-version="
                + pathSegment(
                    apiVersion.endsWith("-preview") ? apiVersion : REALTIME_PREVIEW_API_VERSION)
                + "&deployment="
                + pathSegment(target.model());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String key = keys.current();
    if (key != null) {
      headers.add("api-key", key);
    }
    return Future.succeededFuture(UpstreamRequest.get(url, headers).withApiKey(key));
  }

  /** The URL for one call: the only thing, with the key header, that sets Azure apart. */
  String url(String base, Endpoint endpoint, UpstreamTarget target) {
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/openai")) {
      base = base.substring(0, base.length() - "/openai".length());
    }
    if (V1.equals(apiVersion)) {
      return base + "/openai/v1/" + endpoint.openAiPath();
    }
    if (endpoint == Endpoint.RESPONSES) {
      // The Responses API is addressed by resource, the deployment named in the body's model
      // (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses).
      return base + "/openai/responses?api-version=" + pathSegment(apiVersion);
    }
    return base
        + "/openai/deployments/"
        + pathSegment(target.model())
        + "/"
        + endpoint.openAiPath()
        + "?api-version="
        + pathSegment(apiVersion);
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public boolean servesResponses() {
    return true;
  }

  /** Forwarded to the deployment's {@code moderations} path, like any other OpenAI call. */
  @Override
  public boolean servesModerations() {
    return true;
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
}
