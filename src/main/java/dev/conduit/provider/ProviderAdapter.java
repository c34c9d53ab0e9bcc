package dev.conduit.provider;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.EmbeddingRequest;
import dev.conduit.core.EmbeddingResponse;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayException;
import dev.conduit.core.ImageRequest;
import dev.conduit.core.ImageResponse;
import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import dev.conduit.core.WireProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Speaks one provider's protocol. Adapters are pure translation: they build requests and read
 * responses but never do I/O themselves ({@link UpstreamClient} does), so they can be tested from
 * fixtures. One instance serves one configured provider.
 *
 * <p>Two ways to call a provider:
 *
 * <ul>
 *   <li>Pass-through, when the caller speaks the provider's {@linkplain #nativeProtocol() native
 *       protocol}: the caller's body, with only the model rewritten, goes to {@link
 *       #forwardRequest}.
 *   <li>Translation through the canonical model ({@link dev.conduit.core}): {@link #toUpstream}
 *       builds the request, {@link #fromUpstream} reads a whole answer, {@link #newStreamParser}
 *       reads a streamed one.
 * </ul>
 *
 * <p>In every provider folder the converters are named alike ({@code XxxRequestConverter
 * .toUpstream}, {@code XxxResponseConverter.fromUpstream}, {@code XxxStreamParser}, {@code
 * XxxErrorMapper.mapError}), so the second provider reads like the first.
 */
public interface ProviderAdapter {

  /**
   * The client protocol this provider speaks natively, if any. When the caller speaks it too, the
   * gateway forwards the body with only the model rewritten (see {@link #forwardRequest}).
   */
  Optional<WireProtocol> nativeProtocol();

  /**
   * Builds the request that forwards a same-protocol body (already rewritten for the deployment).
   * Asynchronous only because some providers need a token fetch or request signing first. The
   * future fails with a {@link GatewayException} when the provider does not serve {@code endpoint}.
   */
  default Future<UpstreamRequest> forwardRequest(
      Endpoint endpoint, Buffer body, UpstreamTarget target, boolean stream) {
    return Future.failedFuture(
        GatewayException.unsupported(target.provider().name(), "pass-through calls", null));
  }

  /**
   * Builds the upstream request for a canonical chat request, addressed to {@code target} (its
   * model, its region). Asynchronous only for authentication work (a token fetch, request signing).
   * The future fails with a {@link GatewayException} (status 400) when the request uses something
   * this provider cannot express.
   */
  Future<UpstreamRequest> toUpstream(ChatRequest request, UpstreamTarget target);

  /**
   * Reads a successful (2xx) non-streamed chat response.
   *
   * @throws InvalidUpstreamResponse when the body does not follow the provider's protocol
   */
  ChatResponse fromUpstream(Buffer body, UpstreamTarget target);

  /** A fresh parser for one successful streamed chat response. */
  StreamParser newStreamParser(UpstreamTarget target);

  /**
   * Reads a non-2xx upstream response: the error the caller sees, never including the provider's
   * credentials, and its kind ({@link UpstreamErrors#classify}), which says whether the gateway's
   * credentials were refused, and whether another attempt may succeed (429, 5xx and 529 do).
   */
  UpstreamError mapError(int status, MultiMap headers, Buffer body);

  /**
   * Whether the upstream accepts {@code stream_options.include_usage} (OpenAI protocol only). When
   * it does not, the gateway removes the option from pass-through bodies and relies on the usage
   * the upstream sends on its own, or counts tokens itself.
   */
  default boolean acceptsStreamUsageOption() {
    return true;
  }

  /**
   * Whether this provider serves OpenAI's Responses API ({@code /responses}) itself, so that
   * Responses callers are forwarded to it; when false they are translated through the canonical
   * model like any other chat call.
   */
  default boolean servesResponses() {
    return false;
  }

  /**
   * Whether this provider serves embeddings through translation ({@link #embeddingsToUpstream}),
   * because its embeddings API is not the caller's. Same-protocol providers forward instead.
   */
  default boolean translatesEmbeddings() {
    return false;
  }

  /**
   * Builds the upstream request for canonical embeddings. Asynchronous only for authentication
   * work. Only called when {@link #translatesEmbeddings()}.
   */
  default Future<UpstreamRequest> embeddingsToUpstream(
      EmbeddingRequest request, UpstreamTarget target) {
    return Future.failedFuture(
        GatewayException.unsupported(target.provider().name(), "embeddings", null));
  }

  /**
   * Reads a successful (2xx) embeddings response to a request built by {@link
   * #embeddingsToUpstream}.
   *
   * @param inputs how many inputs were asked for
   * @throws InvalidUpstreamResponse when the body does not follow the provider's protocol
   */
  default EmbeddingResponse embeddingsFromUpstream(Buffer body, int inputs, UpstreamTarget target) {
    throw new InvalidUpstreamResponse("the provider does not serve embeddings");
  }

  /** Whether this provider ranks documents ({@link #rerankToUpstream}). */
  default boolean servesRerank() {
    return false;
  }

  /**
   * Builds the upstream request for a rerank call. Asynchronous only for authentication work. Only
   * called when {@link #servesRerank()}.
   */
  default Future<UpstreamRequest> rerankToUpstream(RerankRequest request, UpstreamTarget target) {
    return Future.failedFuture(
        GatewayException.unsupported(target.provider().name(), "rerank", null));
  }

  /**
   * Reads a successful (2xx) rerank response to a request built by {@link #rerankToUpstream}.
   *
   * @throws InvalidUpstreamResponse when the body does not follow the provider's protocol
   */
  default RerankResponse rerankFromUpstream(Buffer body, UpstreamTarget target) {
    throw new InvalidUpstreamResponse("the provider does not serve rerank");
  }

  /**
   * Whether this provider serves image generation through translation ({@link #imagesToUpstream}),
   * because its image API is not OpenAI's. OpenAI-compatible providers get the caller's body
   * instead.
   */
  default boolean translatesImages() {
    return false;
  }

  /**
   * Builds the upstream request for a canonical image generation. Asynchronous only for
   * authentication work. Only called when {@link #translatesImages()}. The future fails with a
   * {@link GatewayException} (400) for a request this provider or model cannot serve.
   */
  default Future<UpstreamRequest> imagesToUpstream(ImageRequest request, UpstreamTarget target) {
    return Future.failedFuture(
        GatewayException.unsupported(target.provider().name(), "image generation", null));
  }

  /**
   * Reads a successful (2xx) response to a request built by {@link #imagesToUpstream}.
   *
   * @throws InvalidUpstreamResponse when the body does not follow the provider's protocol
   */
  default ImageResponse imagesFromUpstream(Buffer body, UpstreamTarget target) {
    throw new InvalidUpstreamResponse("the provider does not serve image generation");
  }

  /**
   * Whether this provider serves OpenAI's moderations ({@code /moderations}), so that OpenAI
   * moderation calls are forwarded to it. No provider translates them.
   */
  default boolean servesModerations() {
    return false;
  }

  /**
   * The WebSocket handshake that opens a Realtime session ({@code GET}, an {@code http(s)} URL that
   * {@link UpstreamWebSockets} opens as {@code ws(s)}), with the provider's credentials. The future
   * fails with a {@link GatewayException} when the provider has no Realtime API.
   */
  default Future<UpstreamRequest> realtimeRequest(UpstreamTarget target) {
    return Future.failedFuture(
        new GatewayException(
            dev.conduit.core.GatewayError.badRequest(
                "unsupported_provider",
                "Provider '"
                    + target.provider().name()
                    + "' has no Realtime API; route realtime models to OpenAI or Azure OpenAI.",
                "model")));
  }

  /**
   * A cheap request that shows whether the provider answers and accepts the gateway's key (for
   * example listing models), used by the active health checks; any 2xx means healthy. Empty when
   * the provider has no such call: its health then comes from live traffic only.
   */
  default Optional<UpstreamRequest> healthCheckRequest() {
    return Optional.empty();
  }

  /** A cheap URL to open a connection to ahead of traffic; empty when there is nothing to warm. */
  default Optional<String> warmUrl() {
    return Optional.empty();
  }
}
