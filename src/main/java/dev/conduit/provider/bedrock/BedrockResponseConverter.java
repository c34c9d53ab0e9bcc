package dev.conduit.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Json;
import dev.conduit.core.ToolCall;
import dev.conduit.provider.InvalidUpstreamResponse;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Converse response to the canonical model: text blocks joined, {@code reasoningContent} as
 * reasoning, {@code toolUse} blocks as tool calls (their {@code input} as JSON text). Converse
 * answers carry no id; the caller's encoder makes one.
 */
public final class BedrockResponseConverter {
  private static final ObjectMapper JSON = Json.MAPPER;

  private BedrockResponseConverter() {}

  public static ChatResponse fromUpstream(Buffer body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the response body is not valid JSON");
    }
    if (root == null
        || !root.isObject()
        || !root.path("output").path("message").path("content").isArray()) {
      throw new InvalidUpstreamResponse("the response is not a Converse answer");
    }
    StringBuilder text = null;
    StringBuilder reasoning = null;
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode block : root.path("output").path("message").path("content")) {
      if (block.has("text")) {
        text = append(text, block.path("text").asText());
      } else if (block.has("toolUse")) {
        JsonNode use = block.path("toolUse");
        toolCalls.add(
            new ToolCall(
                use.path("toolUseId").asText(),
                use.path("name").asText(),
                use.path("input").isObject() ? use.path("input").toString() : "{}"));
      } else if (block.path("reasoningContent").has("reasoningText")) {
        reasoning =
            append(
                reasoning,
                block.path("reasoningContent").path("reasoningText").path("text").asText(""));
      }
      // redacted reasoning, citations, guard content: nothing for the caller
    }
    return new ChatResponse(
        null,
        null,
        text == null ? null : text.toString(),
        reasoning == null ? null : reasoning.toString(),
        toolCalls,
        finishReason(root.path("stopReason").asText(null)),
        null,
        BedrockUsage.of(root.path("usage")));
  }

  /** Converse's stop reasons in canonical terms. */
  static FinishReason finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
      case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP; // end_turn, malformed_*, and any new reason
    };
  }

  private static StringBuilder append(StringBuilder to, String text) {
    return to == null ? new StringBuilder(text) : to.append(text);
  }
}
