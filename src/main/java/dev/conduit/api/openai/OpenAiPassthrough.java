package dev.conduit.api.openai;

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
 * OpenAI in, OpenAI-compatible out: the gateway's fast path. The request body is forwarded with
 * only {@code model} rewritten (and stream usage requested); the response is forwarded byte for
 * byte, read only for usage. When the caller did not ask for stream usage, the usage-only chunk the
 * gateway asked for is removed before the caller sees it. The answer's text is noted as it passes,
 * so a stream that ends before its usage (the caller left, the upstream reports none) is still
 * counted.
 */
public final class OpenAiPassthrough implements CallCodec {
  /** Where OpenAI responses and chunks carry the model's output. */
  private static final Set<String> ANSWER_FIELDS =
      Set.of("content", "arguments", "reasoning_content", "refusal", "text");

  private final InboundCall call;
  private final Deployment deployment;
  private final ProviderAdapter adapter;
  private final boolean askedUpstreamForUsage;

  public OpenAiPassthrough(InboundCall call, Deployment deployment) {
    this.call = call;
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
    this.askedUpstreamForUsage = call.stream() && adapter.acceptsStreamUsageOption();
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    StreamUsageOption usageOption =
        !adapter.acceptsStreamUsageOption()
            ? StreamUsageOption.REMOVE
            : askedUpstreamForUsage ? StreamUsageOption.FORCE : StreamUsageOption.AS_SENT;
    Buffer body = call.rewriter().rewrite(deployment.model(), usageOption);
    return adapter.forwardRequest(call.endpoint(), body, deployment.target(), call.stream());
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    OpenAiUsageReader.BodyFacts facts;
    try {
      facts = OpenAiUsageReader.read(upstreamBody.getBytes());
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the response body is not valid JSON");
    }
    Usage usage = facts.usage();
    if (!usage.isKnown() && call.endpoint().producesText()) {
      // The upstream reported nothing: count the prompt and the answer ourselves.
      UsageTally tally = new UsageTally(call.body());
      TokenCounter.appendFields(upstreamBody.toString(), ANSWER_FIELDS, tally.outputBuffer());
      usage = tally.usage(false);
    }
    return new TranslatedBody(upstreamBody, usage, facts.finish());
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new PassthroughStream(askedUpstreamForUsage && !call.callerWantsUsage());
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }

  /** Forwards OpenAI stream events as they complete, noting usage, errors and the end. */
  private final class PassthroughStream implements StreamTranslator {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final byte[] DONE = "data: [DONE]".getBytes();

    private final SseEventSplitter splitter = new SseEventSplitter();
    private final boolean stripUsageChunk;
    private final UsageTally tally = new UsageTally(call.body());
    private GatewayError upstreamError;
    private boolean done;

    PassthroughStream(boolean stripUsageChunk) {
      this.stripUsageChunk = stripUsageChunk;
    }

    @Override
    public void onBytes(Buffer chunk, Consumer<Buffer> toClient) {
      splitter.feed(
          chunk,
          event -> {
            if (startsWith(event, DONE)) {
              done = true;
            } else if (isErrorEvent(event)) {
              upstreamError = readError(event);
            } else {
              // Kept so the tokens can be counted if the stream ends before its usage.
              TokenCounter.appendAnswerText(event, tally.outputBuffer());
              if (OpenAiUsageReader.mayCarryUsage(event)) {
                boolean usageOnly = readUsage(SseEvents.data(event));
                if (usageOnly && stripUsageChunk) {
                  return;
                }
              }
            }
            toClient.accept(event);
          });
    }

    @Override
    public GatewayError onEnd(Consumer<Buffer> toClient) {
      if (splitter.hasRemainder()) {
        return GatewayError.upstreamInvalid(
            deployment.provider().name(), "the stream was cut in the middle of an event");
      }
      if (!done && upstreamError == null) {
        return GatewayError.upstreamInvalid(
            deployment.provider().name(), "the stream ended without its final [DONE] event");
      }
      return null;
    }

    @Override
    public Usage usage() {
      return tally.usage(done);
    }

    @Override
    public GatewayError upstreamError() {
      return upstreamError;
    }

    /** Reads usage from the chunk; true when the chunk carries nothing but usage. */
    private boolean readUsage(String data) {
      if (data == null) {
        return false;
      }
      try {
        JsonNode chunk = JSON.readTree(data);
        JsonNode reported = chunk.path("usage");
        if (reported.isObject()) {
          tally.reported(OpenAiUsageReader.fromNode(reported));
        }
        JsonNode choices = chunk.path("choices");
        return reported.isObject() && (choices.isMissingNode() || choices.isEmpty());
      } catch (IOException e) {
        return false;
      }
    }

    private boolean isErrorEvent(Buffer event) {
      String data = dataStart(event);
      return data != null && data.startsWith("{\"error\"");
    }

    private GatewayError readError(Buffer event) {
      Buffer data = Buffer.buffer(SseEvents.data(event));
      GatewayError mapped = adapter.mapError(500, MultiMap.caseInsensitiveMultiMap(), data).error();
      return new GatewayError(502, mapped.type(), mapped.code(), mapped.message(), mapped.param());
    }

    /** The first bytes of the event's data, enough to recognise an error event cheaply. */
    private String dataStart(Buffer event) {
      int length = Math.min(event.length(), 16);
      if (length < 6 || event.getByte(0) != 'd') {
        return null;
      }
      String head = event.getString(0, length);
      if (!head.startsWith("data:")) {
        return null;
      }
      return head.substring(head.startsWith("data: ") ? 6 : 5);
    }

    private boolean startsWith(Buffer event, byte[] prefix) {
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
  }
}
