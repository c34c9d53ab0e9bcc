package dev.conduit.provider.gemini;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.EmbeddingRequest;
import dev.conduit.core.EmbeddingResponse;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.ImageRequest;
import dev.conduit.core.ImageResponse;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Google's Gemini models, by one of two doors that take the same bodies:
 *
 * <ul>
 *   <li>the Gemini API (https://ai.google.dev/api): {@code /v1beta/models/{model}:generateContent}
 *       and {@code :streamGenerateContent?alt=sse}, with the key in {@code x-goog-api-key};
 *   <li>Vertex AI
 *       (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference): {@code
 *       https://{region}-aiplatform.googleapis.com/v1/projects/{project}/locations/{region}
 *       /publishers/google/models/{model}:generateContent} ({@code aiplatform.googleapis.com} for
 *       the {@code global} region), with a service account's OAuth2 token as bearer.
 * </ul>
 *
 * Every caller is translated through the canonical model. Embeddings go to {@code
 * batchEmbedContents} (Gemini API) or {@code predict} (Vertex AI); images to Imagen's {@code
 * predict} on either door.
 */
public final class GeminiAdapter implements ProviderAdapter {
  static final String GEMINI_API_URL = "https://generativelanguage.googleapis.com";
  static final String GEMINI_API_VERSION = "v1beta";
  static final String VERTEX_API_VERSION = "v1";

  private final String providerName;
  private final String baseUrl;
  private final ApiKeyRing keys;
  private final String apiVersion;
  private final Vertex vertex;

  /**
   * Vertex AI settings.
   *
   * @param project the Google Cloud project
   * @param region the provider's region, for deployments that name none
   * @param tokens where access tokens come from; null when no service-account key is configured
   *     (the provider is then unavailable)
   */
  public record Vertex(String project, String region, AccessTokenSource tokens) {}

  /**
   * @param baseUrl the configured base URL; null for Google's public endpoints
   * @param apiVersion the API version path segment; null for the default of the door used
   * @param vertex Vertex AI settings; null for the Gemini API
   */
  public GeminiAdapter(
      String providerName, String baseUrl, ApiKeyRing keys, String apiVersion, Vertex vertex) {
    this.providerName = providerName;
    this.baseUrl = baseUrl;
    this.keys = keys;
    this.apiVersion = apiVersion;
    this.vertex = vertex;
  }

  @Override
  public Optional<WireProtocol> nativeProtocol() {
    return Optional.empty();
  }

  @Override
  public Future<UpstreamRequest> toUpstream(ChatRequest request, UpstreamTarget target) {
    try {
      Buffer body = GeminiRequestConverter.toUpstream(request, providerName);
      String method = request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
      return call(target, method, body, request.stream());
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public boolean translatesEmbeddings() {
    return true;
  }

  @Override
  public Future<UpstreamRequest> embeddingsToUpstream(
      EmbeddingRequest request, UpstreamTarget target) {
    try {
      return vertex == null
          ? call(
              target,
              ":batchEmbedContents",
              GeminiEmbeddings.toGeminiApi(request, target.model()),
              false)
          : call(target, ":predict", GeminiEmbeddings.toVertex(request), false);
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public EmbeddingResponse embeddingsFromUpstream(Buffer body, int inputs, UpstreamTarget target) {
    return vertex == null
        ? GeminiEmbeddings.fromGeminiApi(body, inputs)
        : GeminiEmbeddings.fromVertex(body, inputs);
  }

  /** Imagen models, through {@code predict} on either door ({@link ImagenImages}). */
  @Override
  public boolean translatesImages() {
    return true;
  }

  @Override
  public Future<UpstreamRequest> imagesToUpstream(ImageRequest request, UpstreamTarget target) {
    if (!ImagenImages.isImagen(target.model())) {
      return Future.failedFuture(
          new GatewayException(
              GatewayError.badRequest(
                  "unsupported_model",
                  "Model '"
                      + target.model()
                      + "' of provider '"
                      + providerName
                      + "' is not an Imagen model; the gateway generates images on Google "
                      + "providers with Imagen models only.",
                  "model")));
    }
    try {
      return call(target, ":predict", ImagenImages.toUpstream(request, providerName), false);
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public ImageResponse imagesFromUpstream(Buffer body, UpstreamTarget target) {
    return ImagenImages.fromUpstream(body);
  }

  /** The request for one method of the deployment's model, authenticated. */
  private Future<UpstreamRequest> call(
      UpstreamTarget target, String method, Buffer body, boolean stream) {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add("Accept", stream ? "text/event-stream" : "application/json");
    if (vertex == null) {
      String key = keys.current();
      if (key != null) {
        headers.add("x-goog-api-key", key);
      }
      String url =
          geminiApiUrl(RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region()))
              + "/"
              + geminiModelPath(target.model())
              + method;
      return Future.succeededFuture(UpstreamRequest.post(url, headers, body).withApiKey(key));
    }
    String url = vertexUrl(target) + method;
    if (vertex.tokens() == null) {
      return Future.failedFuture(
          new GatewayException(
              GatewayError.unavailable(
                  "provider_unavailable",
                  "Provider '" + providerName + "' has no service account key.")));
    }
    return vertex
        .tokens()
        .token()
        .map(
            token -> {
              headers.add("Authorization", "Bearer " + token);
              return UpstreamRequest.post(url, headers, body);
            });
  }

  /** The Gemini API's base with its version: {@code https://generativelanguage.../v1beta}. */
  private String geminiApiUrl(String base) {
    return withVersion(
        base != null ? trimSlash(base) : GEMINI_API_URL,
        apiVersion != null ? apiVersion : GEMINI_API_VERSION);
  }

  /** Listing one model (https://ai.google.dev/api/models#method:-models.list) checks the key. */
  @Override
  public Optional<UpstreamRequest> healthCheckRequest() {
    if (vertex != null) {
      return Optional.empty(); // needs a token: Vertex AI's health comes from live traffic
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json");
    String key = keys.current();
    if (key != null) {
      headers.add("x-goog-api-key", key);
    }
    return Optional.of(
        UpstreamRequest.get(geminiApiUrl(baseUrl) + "/models?pageSize=1", headers).withApiKey(key));
  }

  /** {@code models/{model}}; other resources ({@code tunedModels/...}) as given. */
  static String geminiModelPath(String model) {
    return model.contains("/") ? model : "models/" + pathSegment(model);
  }

  /** The model's Vertex AI resource URL, without the method. */
  String vertexUrl(UpstreamTarget target) {
    String region = target.region() != null ? target.region() : vertex.region();
    if (region == null) {
      throw new GatewayException(
          GatewayError.upstreamUnreachable(providerName, "no Vertex AI region is configured"));
    }
    String configured = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    String base =
        configured != null
            ? trimSlash(configured)
            : region.equals("global")
                ? "https://aiplatform.googleapis.com"
                : "https://" + region + "-aiplatform.googleapis.com";
    String versioned = withVersion(base, apiVersion != null ? apiVersion : VERTEX_API_VERSION);
    String model = target.model();
    if (model.startsWith("projects/")) {
      return versioned + "/" + model; // a full resource name (tuned model, endpoint)
    }
    return versioned
        + "/projects/"
        + pathSegment(vertex.project())
        + "/locations/"
        + pathSegment(region)
        + "/publishers/google/models/"
        + pathSegment(model);
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The base URL with the API version appended, unless the base already ends with one. */
  private static String withVersion(String base, String version) {
    String last = base.substring(base.lastIndexOf('/') + 1);
    return last.matches("v\\d+((alpha|beta)\\d*)?") ? base : base + "/" + version;
  }

  @Override
  public ChatResponse fromUpstream(Buffer body, UpstreamTarget target) {
    return GeminiResponseConverter.fromUpstream(body);
  }

  @Override
  public StreamParser newStreamParser(UpstreamTarget target) {
    return new GeminiStreamParser(
        event -> GeminiErrorMapper.streamError(providerName, event, keys));
  }

  @Override
  public UpstreamError mapError(int status, MultiMap headers, Buffer body) {
    return GeminiErrorMapper.mapError(providerName, status, body, keys);
  }
}
