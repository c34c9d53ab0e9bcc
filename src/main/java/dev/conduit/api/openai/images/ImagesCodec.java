package dev.conduit.api.openai.images;

import dev.conduit.api.MultipartBody;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.ImageRequest;
import dev.conduit.core.ImageResponse;
import dev.conduit.core.Units;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.CallCodec;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.pipeline.TranslatedBody;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.time.Clock;

/**
 * How an images call is said to one deployment. OpenAI-compatible providers (OpenAI, Azure OpenAI)
 * get the caller's body with only {@code model} rewritten, and their answer is forwarded byte for
 * byte ({@code url} or {@code b64_json}, as they return it), read only for the images returned, the
 * size and quality made and any token usage. Providers that translate images (Imagen) get the
 * canonical request and answer {@code b64_json}; they serve generations only. The call is charged
 * for the images actually returned.
 */
public final class ImagesCodec implements CallCodec {
  private final InboundCall call;
  private final Deployment deployment;
  private final ProviderAdapter adapter;
  private final boolean passthrough;
  private final Clock clock;
  private ImageRequest request;

  /**
   * @throws GatewayException (400) when the deployment's provider cannot serve the call
   */
  public ImagesCodec(InboundCall call, Deployment deployment, Clock clock) {
    this.call = call;
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
    this.clock = clock;
    this.passthrough =
        adapter.nativeProtocol().map(protocol -> protocol == WireProtocol.OPENAI).orElse(false);
    if (!passthrough
        && !(adapter.translatesImages() && call.endpoint() == Endpoint.IMAGE_GENERATIONS)) {
      throw new GatewayException(
          GatewayError.badRequest(
              "unsupported_provider",
              "Model '"
                  + call.model()
                  + "' is served by provider '"
                  + deployment.provider().name()
                  + "', which cannot serve "
                  + call.endpoint().openAiPath()
                  + (adapter.translatesImages()
                      ? " (it generates images, but does not edit them)"
                      : "")
                  + "; route it to an OpenAI-compatible provider"
                  + (call.endpoint() == Endpoint.IMAGE_GENERATIONS ? " or an Imagen model" : "")
                  + ".",
              "model"));
    }
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    if (passthrough) {
      Buffer body = call.rewriter().rewrite(deployment.model(), StreamUsageOption.AS_SENT);
      Future<UpstreamRequest> built =
          adapter.forwardRequest(call.endpoint(), body, deployment.target(), false);
      if (call.endpoint() != Endpoint.IMAGE_EDITS) {
        return built;
      }
      // The rewritten body starts with its first boundary line.
      String contentType =
          "multipart/form-data; boundary="
              + MultipartBody.boundaryOf(body.getBytes(0, Math.min(body.length(), 256)));
      return built.map(
          upstream -> {
            upstream.headers().set(HttpHeaders.CONTENT_TYPE, contentType);
            return upstream;
          });
    }
    try {
      OpenAiImages.Decoded decoded = OpenAiImages.decode(call.body());
      request = decoded.request();
      if ("url".equals(decoded.responseFormat())) {
        throw new GatewayException(
            GatewayError.badRequest(
                "unsupported_value",
                "Provider '"
                    + deployment.provider().name()
                    + "' returns images inline only: ask for response_format b64_json (or leave "
                    + "it out) for model '"
                    + call.model()
                    + "'.",
                "response_format"));
      }
      return adapter.imagesToUpstream(request, deployment.target());
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    if (passthrough) {
      OpenAiImages.Summary summary = OpenAiImages.summary(upstreamBody);
      return new TranslatedBody(
          upstreamBody, summary.usage(), Units.images(summary.images()), null, summary.variant());
    }
    ImageResponse response = adapter.imagesFromUpstream(upstreamBody, deployment.target());
    Buffer body = OpenAiImages.encode(response, clock.millis() / 1000, request.outputFormat());
    return new TranslatedBody(
        body, response.usage(), Units.images(response.images().size()), null, null);
  }

  @Override
  public StreamTranslator streamTranslator() {
    throw new IllegalStateException("images are never streamed");
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }
}
