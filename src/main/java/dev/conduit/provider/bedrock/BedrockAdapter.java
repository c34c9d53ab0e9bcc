package dev.conduit.provider.bedrock;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
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
import dev.conduit.provider.aws.AwsCredentials;
import dev.conduit.provider.aws.SigV4Signer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * AWS Bedrock's Converse API ({@code POST /model/{modelId}/converse}, and {@code /converse-stream}
 * for AWS event-stream answers), signed with SigV4 under the signing name {@code bedrock} (the host
 * is {@code bedrock-runtime.{region}.amazonaws.com}). A Bedrock API key, when configured, is sent
 * as a bearer token instead. Every caller is translated through the canonical model; Bedrock serves
 * chat, and image generation with Amazon's image models through {@code InvokeModel} ({@code POST
 * /model/{modelId}/invoke}).
 */
public final class BedrockAdapter implements ProviderAdapter {
  static final String SIGNING_NAME = "bedrock";

  private final String providerName;
  private final String baseUrl;
  private final ApiKeyRing keys;
  private final AwsCredentials credentials;
  private final String defaultRegion;
  private final String fallbackRegion;
  private final Clock clock;

  /**
   * @param baseUrl the configured base URL; null for the region's public endpoint
   * @param credentials the key pair to sign with; null when an API key is used instead
   * @param defaultRegion the provider's region ({@code region}); may be null
   * @param fallbackRegion the region when neither the deployment nor the provider names one (from
   *     {@code AWS_REGION}); may be null
   */
  public BedrockAdapter(
      String providerName,
      String baseUrl,
      ApiKeyRing keys,
      AwsCredentials credentials,
      String defaultRegion,
      String fallbackRegion,
      Clock clock) {
    this.providerName = providerName;
    this.baseUrl = baseUrl;
    this.keys = keys;
    this.credentials = credentials;
    this.defaultRegion = defaultRegion;
    this.fallbackRegion = fallbackRegion;
    this.clock = clock;
  }

  @Override
  public Optional<WireProtocol> nativeProtocol() {
    return Optional.empty();
  }

  @Override
  public Future<UpstreamRequest> toUpstream(ChatRequest request, UpstreamTarget target) {
    try {
      Buffer body = BedrockRequestConverter.toUpstream(request, providerName);
      return Future.succeededFuture(signed(body, target, request.stream()));
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  /** Nova Canvas and Titan Image Generator, through {@code InvokeModel} ({@link BedrockImages}). */
  @Override
  public boolean translatesImages() {
    return true;
  }

  @Override
  public Future<UpstreamRequest> imagesToUpstream(ImageRequest request, UpstreamTarget target) {
    if (!BedrockImages.isImageModel(target.model())) {
      return Future.failedFuture(
          new GatewayException(
              GatewayError.badRequest(
                  "unsupported_model",
                  "Model '"
                      + target.model()
                      + "' of provider '"
                      + providerName
                      + "' is not a Bedrock image model the gateway calls (Nova Canvas, Titan "
                      + "Image Generator).",
                  "model")));
    }
    try {
      Buffer body = BedrockImages.toUpstream(request, providerName);
      return Future.succeededFuture(signed(body, target, "/invoke", "application/json"));
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public ImageResponse imagesFromUpstream(Buffer body, UpstreamTarget target) {
    return BedrockImages.fromUpstream(body);
  }

  /** The Converse request to one deployment, addressed and signed. */
  UpstreamRequest signed(Buffer body, UpstreamTarget target, boolean stream) {
    return signed(
        body,
        target,
        stream ? "/converse-stream" : "/converse",
        stream ? "application/vnd.amazon.eventstream" : "application/json");
  }

  /** A request for {@code operation} of the deployment's model, addressed and signed. */
  private UpstreamRequest signed(
      Buffer body, UpstreamTarget target, String operation, String accept) {
    String region =
        target.region() != null
            ? target.region()
            : defaultRegion != null ? defaultRegion : fallbackRegion;
    if (region == null) {
      throw new GatewayException(
          GatewayError.upstreamUnreachable(
              providerName, "no AWS region is configured (set region, or AWS_REGION)"));
    }
    String configured = RegionalEndpoints.baseUrl(baseUrl, target.provider(), target.region());
    String base =
        configured != null
            ? trimSlash(configured)
            : "https://bedrock-runtime." + region + ".amazonaws.com";
    // The model id is one path segment: ':' and '/' (ARNs) are percent-encoded.
    String path = "/model/" + SigV4Signer.uriEncode(target.model(), false) + operation;
    String url = base + path;
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add("Accept", accept);
    String key = keys.current();
    if (key != null) {
      headers.add("Authorization", "Bearer " + key);
    } else if (credentials != null) {
      URI uri = URI.create(url);
      new SigV4Signer(SIGNING_NAME, region)
          .sign(
              "POST",
              hostHeader(uri),
              uri.getRawPath(),
              uri.getRawQuery(),
              headers,
              body.getBytes(),
              credentials,
              clock.instant());
    }
    return UpstreamRequest.post(url, headers, body).withApiKey(key);
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The Host header an HTTP client sends for {@code uri}: the port only when not the default. */
  static String hostHeader(URI uri) {
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (port == 443 && "https".equals(uri.getScheme()))
            || (port == 80 && "http".equals(uri.getScheme()));
    return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
  }

  @Override
  public ChatResponse fromUpstream(Buffer body, UpstreamTarget target) {
    return BedrockResponseConverter.fromUpstream(body);
  }

  @Override
  public StreamParser newStreamParser(UpstreamTarget target) {
    return new BedrockStreamParser(
        new BedrockStreamParser.ErrorMapper() {
          @Override
          public GatewayError exception(String exceptionType, String payload) {
            return BedrockErrorMapper.streamException(providerName, exceptionType, payload, keys);
          }

          @Override
          public GatewayError error(String errorCode, String message) {
            return BedrockErrorMapper.streamError(providerName, errorCode, message, keys);
          }
        });
  }

  @Override
  public UpstreamError mapError(int status, MultiMap headers, Buffer body) {
    return BedrockErrorMapper.mapError(providerName, status, headers, body, keys);
  }
}
