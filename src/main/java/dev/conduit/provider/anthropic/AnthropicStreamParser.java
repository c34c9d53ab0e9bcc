package dev.conduit.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.sse.SseStreamParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An Anthropic Messages stream (https://docs.anthropic.com/en/docs/build-with-claude/streaming) to
 * canonical chunks. Tool calls are numbered among tool calls only (Anthropic's block index also
 * counts text and thinking blocks); usage is folded together from {@code message_start} and the
 * cumulative {@code message_delta}; {@code ping} is skipped; unknown event and delta types become
 * {@link StreamChunk.Unknown}, as Anthropic's versioning policy asks.
 */
public final class AnthropicStreamParser extends SseStreamParser {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final Function<JsonNode, GatewayError> errorMapper;
  private final AnthropicUsage usage = new AnthropicUsage();

  /** Tool-call index per content block index, for the tool_use blocks. */
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();

  private int toolCalls;
  private boolean stopped;
  private boolean failed;

  public AnthropicStreamParser(Function<JsonNode, GatewayError> errorMapper) {
    this.errorMapper = errorMapper;
  }

  @Override
  protected void onEvent(String name, String data, Consumer<StreamChunk> out) {
    JsonNode event;
    try {
      event = JSON.readTree(data);
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("a stream event is not valid JSON");
    }
    if (event == null || !event.isObject()) {
      throw new InvalidUpstreamResponse("a stream event is not a JSON object");
    }
    String type = name != null ? name : event.path("type").asText();
    switch (type) {
      case "message_start" -> {
        JsonNode message = event.path("message");
        out.accept(
            new StreamChunk.Start(
                message.path("id").asText(null), message.path("model").asText(null)));
        if (message.path("usage").isObject()) {
          out.accept(new StreamChunk.UsageUpdate(usage.merge(message.path("usage")).toUsage()));
        }
      }
      case "content_block_start" -> blockStart(event, data, out);
      case "content_block_delta" -> blockDelta(event, data, out);
      case "message_delta" -> {
        JsonNode delta = event.path("delta");
        String stopReason = delta.path("stop_reason").asText(null);
        if (stopReason != null) {
          out.accept(
              new StreamChunk.Finish(
                  AnthropicResponseConverter.finishReason(stopReason),
                  delta.path("stop_sequence").asText(null)));
        }
        if (event.path("usage").isObject()) {
          out.accept(new StreamChunk.UsageUpdate(usage.merge(event.path("usage")).toUsage()));
        }
      }
      case "message_stop" -> stopped = true;
      case "content_block_stop", "ping" -> {}
      case "error" -> {
        failed = true;
        out.accept(new StreamChunk.Failure(errorMapper.apply(event)));
      }
      default -> out.accept(new StreamChunk.Unknown(type, data));
    }
  }

  private void blockStart(JsonNode event, String data, Consumer<StreamChunk> out) {
    JsonNode block = event.path("content_block");
    int blockIndex = event.path("index").asInt();
    switch (block.path("type").asText()) {
      case "text" -> {
        String text = block.path("text").asText("");
        if (!text.isEmpty()) {
          out.accept(new StreamChunk.TextDelta(text));
        }
      }
      case "thinking" -> {
        String thinking = block.path("thinking").asText("");
        if (!thinking.isEmpty()) {
          out.accept(new StreamChunk.ReasoningDelta(thinking, null));
        }
      }
      case "tool_use" -> {
        int index = toolCalls++;
        toolIndexByBlock.put(blockIndex, index);
        JsonNode input = block.path("input");
        // Input normally streams as input_json_delta; a non-empty input here is the whole of it.
        String arguments = input.isObject() && !input.isEmpty() ? input.toString() : "";
        out.accept(
            new StreamChunk.ToolCallDelta(
                index, block.path("id").asText(), block.path("name").asText(), arguments));
      }
      default -> out.accept(new StreamChunk.Unknown("content_block_start", data));
    }
  }

  private void blockDelta(JsonNode event, String data, Consumer<StreamChunk> out) {
    JsonNode delta = event.path("delta");
    switch (delta.path("type").asText()) {
      case "text_delta" -> {
        String text = delta.path("text").asText("");
        if (!text.isEmpty()) {
          out.accept(new StreamChunk.TextDelta(text));
        }
      }
      case "input_json_delta" -> {
        Integer index = toolIndexByBlock.get(event.path("index").asInt());
        if (index == null) {
          throw new InvalidUpstreamResponse(
              "tool input arrived for content block "
                  + event.path("index").asInt()
                  + ", which is not a tool call");
        }
        String fragment = delta.path("partial_json").asText("");
        if (!fragment.isEmpty()) {
          out.accept(new StreamChunk.ToolCallDelta(index, null, null, fragment));
        }
      }
      case "thinking_delta" -> {
        String thinking = delta.path("thinking").asText("");
        if (!thinking.isEmpty()) {
          out.accept(new StreamChunk.ReasoningDelta(thinking, null));
        }
      }
      case "signature_delta" ->
          out.accept(new StreamChunk.ReasoningDelta("", delta.path("signature").asText("")));
      default -> out.accept(new StreamChunk.Unknown("content_block_delta", data));
    }
  }

  @Override
  protected String missingAtEnd(Consumer<StreamChunk> out) {
    if (stopped || failed) {
      return null;
    }
    return "the stream ended without its message_stop event";
  }
}
