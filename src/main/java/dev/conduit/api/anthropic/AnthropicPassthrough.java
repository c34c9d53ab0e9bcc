package dev.conduit.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.pipeline.CallCodec;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.pipeline.TokenCounter;
import dev.conduit.pipeline.TranslatedBody;
import dev.conduit.pipeline.UsageTally;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.anthropic.AnthropicErrorMapper;
import dev.conduit.provider.anthropic.AnthropicResponseConverter;
import dev.conduit.provider.anthropic.AnthropicUsage;
import dev.conduit.provider.sse.SseEventSplitter;
import dev.conduit.provider.sse.SseEvents;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Anthropic in, Anthropic out: the {@code /v1/messages} fast path. The body is forwarded with only
 * {@code model} rewritten, the answer byte for byte; the stream is read only for usage ({@code
 * message_start}, {@code message_delta}), errors and its end ({@code message_stop}).
 */
public final class AnthropicPassthrough implements CallCodec {
  private static final ObjectMapper JSON = Json.MAPPER;

  /** Where Anthropic stream deltas carry the model's output. */
  private static final Set<String> ANSWER_FIELDS = Set.of("text", "partial_json", "thinking");

  private static final byte[] CONTENT_DELTA =
      "event: content_block_delta".getBytes(StandardCharsets.US_ASCII);

  private final InboundCall call;
  private final Deployment deployment;
  private final ProviderAdapter adapter;

  public AnthropicPassthrough(InboundCall call, Deployment deployment) {
    this.call = call;
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    Buffer body = call.rewriter().rewrite(deployment.model(), StreamUsageOption.AS_SENT);
    return adapter.forwardRequest(call.endpoint(), body, deployment.target(), call.stream());
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    JsonNode root;
    try {
      root = JSON.readTree(upstreamBody.getBytes());
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the response body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidUpstreamResponse("the response body is not a JSON object");
    }
    Usage usage = AnthropicUsage.of(root.path("usage"));
    if (!usage.isKnown()) {
      UsageTally tally = new UsageTally(call.body());
      TokenCounter.appendFields(
          root.path("content").toString(), ANSWER_FIELDS, tally.outputBuffer());
      usage = tally.usage(false);
    }
    return new TranslatedBody(
        upstreamBody,
        usage,
        AnthropicResponseConverter.finishReason(root.path("stop_reason").asText(null)));
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new PassthroughStream();
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }

  /** Forwards Anthropic events as they complete, noting usage, errors and the end. */
  private final class PassthroughStream implements StreamTranslator {
    private final SseEventSplitter splitter = new SseEventSplitter();
    private final AnthropicUsage reported = new AnthropicUsage();
    private final UsageTally tally = new UsageTally(call.body());
    private GatewayError upstreamError;
    private boolean stopped;

    @Override
    public void onBytes(Buffer chunk, Consumer<Buffer> toClient) {
      splitter.feed(
          chunk,
          event -> {
            inspect(event);
            toClient.accept(event);
          });
    }

    private void inspect(Buffer event) {
      if (startsWith(event, CONTENT_DELTA)) {
        // The bulk of a stream: note its text cheaply, parse nothing.
        TokenCounter.appendAnswerText(event, tally.outputBuffer());
        return;
      }
      SseEvents.Parsed parsed = SseEvents.parse(event);
      if (parsed.data() == null || parsed.name() == null) {
        return;
      }
      switch (parsed.name()) {
        case "message_start" ->
            tally.reported(
                reported.merge(read(parsed.data()).path("message").path("usage")).toUsage());
        case "message_delta" ->
            tally.reported(reported.merge(read(parsed.data()).path("usage")).toUsage());
        case "message_stop" -> stopped = true;
        case "error" ->
            upstreamError =
                AnthropicErrorMapper.streamError(
                    deployment.provider().name(), read(parsed.data()), null);
        default -> {}
      }
    }

    private static boolean startsWith(Buffer event, byte[] prefix) {
      if (event.length() < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (event.getByte(i) != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    private JsonNode read(String data) {
      try {
        JsonNode node = JSON.readTree(data);
        return node == null ? JSON.missingNode() : node;
      } catch (IOException e) {
        return JSON.missingNode(); // forwarded as is; the caller's SDK reports it
      }
    }

    @Override
    public GatewayError onEnd(Consumer<Buffer> toClient) {
      if (splitter.hasRemainder()) {
        return GatewayError.upstreamInvalid(
            deployment.provider().name(), "the stream was cut in the middle of an event");
      }
      if (!stopped && upstreamError == null) {
        return GatewayError.upstreamInvalid(
            deployment.provider().name(), "the stream ended without its message_stop event");
      }
      return null;
    }

    @Override
    public Usage usage() {
      return tally.usage(stopped);
    }

    @Override
    public GatewayError upstreamError() {
      return upstreamError;
    }
  }
}
