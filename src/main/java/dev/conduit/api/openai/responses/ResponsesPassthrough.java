package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.conduit.provider.sse.SseEventSplitter;
import dev.conduit.provider.sse.SseEvents;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Responses in, OpenAI's Responses API out (OpenAI, Azure): the body is forwarded with only {@code
 * model} rewritten (or, when it continues a conversation this provider does not hold, with the
 * stored turns as its {@code input}); the answer is forwarded byte for byte and read for its usage
 * and, to store it, its final response object ({@code response.completed}, {@code
 * response.incomplete} or {@code response.failed} in a stream). One per attempt, on the call's
 * event loop.
 */
public final class ResponsesPassthrough implements CallCodec {
  private static final Set<String> ANSWER_FIELDS = Set.of("text", "arguments", "delta");
  private static final Set<String> DELTA = Set.of("delta");
  private static final Set<String> TERMINAL =
      Set.of("response.completed", "response.incomplete", "response.failed");

  private final InboundCall call;
  private final Deployment deployment;
  private final ProviderAdapter adapter;
  private final ResponsesTurn turn;

  public ResponsesPassthrough(InboundCall call, Deployment deployment) {
    this.call = call;
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
    this.turn = ((ResponsesDialect) call.dialect()).turn();
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    Buffer body = turn.passthroughBody(deployment.provider().name(), deployment.model());
    if (body == null) {
      body = call.rewriter().rewrite(deployment.model(), StreamUsageOption.AS_SENT);
    }
    return adapter.forwardRequest(call.endpoint(), body, deployment.target(), call.stream());
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(upstreamBody.getBytes());
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the response body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidUpstreamResponse("the response body is not a JSON object");
    }
    Usage usage = ResponsesUsage.of(root.get("usage"));
    if (!usage.isKnown()) {
      UsageTally tally = new UsageTally(call.body());
      TokenCounter.appendFields(
          root.path("output").toString(), ANSWER_FIELDS, tally.outputBuffer());
      usage = tally.usage(false);
    }
    turn.storePassthrough((ObjectNode) root, deployment.provider().name());
    return new TranslatedBody(upstreamBody, usage);
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new PassthroughStream();
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }

  /** Forwards Responses events as they complete, noting usage, errors and the end. */
  private final class PassthroughStream implements StreamTranslator {
    private final SseEventSplitter splitter = new SseEventSplitter();
    private final UsageTally tally = new UsageTally(call.body());
    private GatewayError upstreamError;
    private boolean ended;

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
      String name = SseEvents.eventName(event);
      if (name == null) {
        return;
      }
      if (name.endsWith(".delta")) {
        // Kept so the tokens can be counted if the stream ends before its usage.
        String data = SseEvents.data(event);
        if (data != null) {
          TokenCounter.appendFields(data, DELTA, tally.outputBuffer());
        }
        return;
      }
      if (!TERMINAL.contains(name) && !name.equals("error")) {
        return;
      }
      JsonNode data = read(SseEvents.data(event));
      if (name.equals("error")) {
        upstreamError =
            new GatewayError(
                502,
                "upstream_error",
                data.path("code").asText("upstream_error"),
                data.path("message").asText("The upstream reported an error."),
                data.path("param").isTextual() ? data.get("param").asText() : null);
        return;
      }
      ended = true;
      JsonNode response = data.path("response");
      tally.reported(ResponsesUsage.of(response.get("usage")));
      if (name.equals("response.failed")) {
        upstreamError =
            new GatewayError(
                502,
                "upstream_error",
                response.path("error").path("code").asText("upstream_error"),
                response.path("error").path("message").asText("The response failed upstream."),
                null);
      } else if (response.isObject()) {
        turn.storePassthrough((ObjectNode) response, deployment.provider().name());
      }
    }

    private JsonNode read(String data) {
      try {
        JsonNode node = data == null ? null : Json.MAPPER.readTree(data);
        return node == null ? Json.MAPPER.missingNode() : node;
      } catch (IOException e) {
        return Json.MAPPER.missingNode(); // forwarded as is; the caller's SDK reports it
      }
    }

    @Override
    public GatewayError onEnd(Consumer<Buffer> toClient) {
      if (splitter.hasRemainder()) {
        return GatewayError.upstreamInvalid(
            deployment.provider().name(), "the stream was cut in the middle of an event");
      }
      if (!ended && upstreamError == null) {
        return GatewayError.upstreamInvalid(
            deployment.provider().name(), "the stream ended without its response.completed event");
      }
      return null;
    }

    @Override
    public Usage usage() {
      return tally.usage(ended);
    }

    @Override
    public GatewayError upstreamError() {
      return upstreamError;
    }
  }
}
