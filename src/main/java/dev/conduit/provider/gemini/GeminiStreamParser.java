package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.FinishReason;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.ToolCall;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.sse.SseStreamParser;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@code streamGenerateContent?alt=sse} stream to canonical chunks. Each event is a whole {@code
 * GenerateContentResponse} holding only the new parts; events end with CRLF CRLF and there is no
 * {@code [DONE]}: the stream is complete once a candidate carried a {@code finishReason} (or the
 * prompt was blocked). Function calls arrive whole, one part each, so each becomes a single
 * tool-call chunk with its full arguments; usage is repeated, cumulative, on every event, and is
 * passed on when it changes.
 */
public final class GeminiStreamParser extends SseStreamParser {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final Function<JsonNode, GatewayError> errorMapper;
  private String responseId;
  private boolean started;
  private int toolCalls;
  private boolean finished;
  private boolean failed;
  private Usage lastUsage = Usage.NONE;

  /**
   * @param errorMapper turns an {@code {"error":{...}}} event into the caller's error
   */
  public GeminiStreamParser(Function<JsonNode, GatewayError> errorMapper) {
    this.errorMapper = errorMapper;
  }

  @Override
  protected void onEvent(String name, String data, Consumer<StreamChunk> out) {
    if (name != null && !name.equals("message")) {
      out.accept(new StreamChunk.Unknown(name, data));
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(data);
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("a stream event is not valid JSON");
    }
    if (event == null || !event.isObject()) {
      throw new InvalidUpstreamResponse("a stream event is not a JSON object");
    }
    if (event.has("error")) {
      failed = true;
      out.accept(new StreamChunk.Failure(errorMapper.apply(event)));
      return;
    }
    if (!event.has("candidates") && !event.has("usageMetadata") && !event.has("promptFeedback")) {
      out.accept(new StreamChunk.Unknown("chunk", data));
      return;
    }
    if (!started) {
      started = true;
      responseId = event.path("responseId").asText(null);
      out.accept(new StreamChunk.Start(responseId, event.path("modelVersion").asText(null)));
    }
    JsonNode candidate = event.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        int index = toolCalls++;
        ToolCall call = GeminiResponseConverter.toolCall(part, responseId, index);
        out.accept(new StreamChunk.ToolCallDelta(index, call.id(), call.name(), call.arguments()));
      } else if (part.has("text")) {
        String text = part.path("text").asText("");
        if (text.isEmpty()) {
          continue;
        }
        if (part.path("thought").asBoolean(false)) {
          out.accept(new StreamChunk.ReasoningDelta(text, null));
        } else {
          out.accept(new StreamChunk.TextDelta(text));
        }
      }
    }
    FinishReason finish =
        candidate.isObject()
            ? GeminiResponseConverter.finishReason(
                candidate.path("finishReason").asText(null), toolCalls > 0)
            : GeminiResponseConverter.blocked(event);
    if (finish != null && !finished) {
      finished = true;
      out.accept(new StreamChunk.Finish(finish, null));
    }
    Usage usage = GeminiUsage.of(event.path("usageMetadata"));
    if (usage.isKnown() && !usage.equals(lastUsage)) {
      lastUsage = usage;
      out.accept(new StreamChunk.UsageUpdate(usage));
    }
  }

  @Override
  protected String missingAtEnd(Consumer<StreamChunk> out) {
    if (finished || failed) {
      return null;
    }
    return "the stream ended before a candidate gave its finishReason";
  }
}
