package dev.conduit.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Ids;
import dev.conduit.core.Json;
import dev.conduit.core.ToolCall;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** A canonical answer as an Anthropic {@code message} body. */
public final class AnthropicResponseEncoder {
  private static final ObjectMapper JSON = Json.MAPPER;

  private AnthropicResponseEncoder() {}

  public static Buffer encode(ChatResponse response) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", response.id() != null ? response.id() : "msg_" + Ids.uuid7());
    body.put("type", "message");
    body.put("role", "assistant");
    body.put("model", response.model());
    ArrayNode content = body.putArray("content");
    if (response.reasoning() != null && !response.reasoning().isEmpty()) {
      content
          .addObject()
          .put("type", "thinking")
          .put("thinking", response.reasoning())
          .put("signature", "");
    }
    if (response.text() != null && !response.text().isEmpty()) {
      content.addObject().put("type", "text").put("text", response.text());
    }
    for (ToolCall call : response.toolCalls()) {
      content
          .addObject()
          .put("type", "tool_use")
          .put("id", call.id())
          .put("name", call.name())
          .set("input", input(call.arguments()));
    }
    body.put("stop_reason", stopReason(response.finishReason()));
    if (response.stopSequence() != null) {
      body.put("stop_sequence", response.stopSequence());
    } else {
      body.putNull("stop_sequence");
    }
    body.set("usage", usage(response.usage()));
    return Buffer.buffer(body.toString());
  }

  static String stopReason(FinishReason reason) {
    if (reason == null) {
      return "end_turn";
    }
    return switch (reason) {
      case STOP -> "end_turn";
      case STOP_SEQUENCE -> "stop_sequence";
      case LENGTH -> "max_tokens";
      case TOOL_CALLS -> "tool_use";
      case CONTENT_FILTER -> "refusal";
    };
  }

  /** Anthropic counts cached and cache-write tokens apart from {@code input_tokens}. */
  static ObjectNode usage(Usage usage) {
    long uncached =
        Math.max(0, usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteTokens());
    return JSON.createObjectNode()
        .put("input_tokens", uncached)
        .put("output_tokens", usage.outputTokens())
        .put("cache_creation_input_tokens", usage.cacheWriteTokens())
        .put("cache_read_input_tokens", usage.cachedInputTokens());
  }

  /**
   * Tool-call arguments as the object Anthropic callers expect. Arguments that are not a JSON
   * object (a model can emit broken JSON) are handed over as the original text rather than lost.
   */
  static JsonNode input(String arguments) {
    try {
      JsonNode parsed = JSON.readTree(arguments);
      return parsed != null && parsed.isObject() ? parsed : TextNode.valueOf(arguments);
    } catch (IOException e) {
      return TextNode.valueOf(arguments);
    }
  }
}
