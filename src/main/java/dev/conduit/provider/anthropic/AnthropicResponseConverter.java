package dev.conduit.provider.anthropic;

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
 * An Anthropic Messages response to the canonical model: text blocks joined, thinking blocks as
 * reasoning, {@code tool_use} blocks as tool calls (their {@code input} object as JSON text).
 */
public final class AnthropicResponseConverter {
  private static final ObjectMapper JSON = Json.MAPPER;

  private AnthropicResponseConverter() {}

  public static ChatResponse fromUpstream(Buffer body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the response body is not valid JSON");
    }
    if (root == null || !root.isObject() || !root.path("content").isArray()) {
      throw new InvalidUpstreamResponse("the response is not an Anthropic message");
    }
    StringBuilder text = null;
    StringBuilder reasoning = null;
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode block : root.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text = append(text, block.path("text").asText());
        case "thinking" -> reasoning = append(reasoning, block.path("thinking").asText());
        case "tool_use" ->
            toolCalls.add(
                new ToolCall(
                    block.path("id").asText(),
                    block.path("name").asText(),
                    block.path("input").toString()));
        default -> {} // redacted thinking, server tool blocks: nothing for the caller
      }
    }
    String stopSequence =
        root.path("stop_sequence").isTextual() ? root.path("stop_sequence").asText() : null;
    return new ChatResponse(
        root.path("id").asText(null),
        root.path("model").asText(null),
        text == null ? null : text.toString(),
        reasoning == null ? null : reasoning.toString(),
        toolCalls,
        finishReason(root.path("stop_reason").asText(null)),
        stopSequence,
        AnthropicUsage.of(root.path("usage")));
  }

  /** Anthropic's stop reasons in canonical terms; null for none. */
  public static FinishReason finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP; // end_turn, pause_turn, and any new reason
    };
  }

  private static StringBuilder append(StringBuilder to, String text) {
    return to == null ? new StringBuilder(text) : to.append(text);
  }
}
