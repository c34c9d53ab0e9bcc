package dev.conduit.provider.gemini;

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
 * A {@code GenerateContentResponse} to the canonical model: the first candidate's text parts
 * joined, thought parts as reasoning, {@code functionCall} parts as tool calls with ids made by
 * {@link GeminiToolCallIds}. A prompt Gemini blocked (no candidates, a {@code
 * promptFeedback.blockReason}) is an empty answer cut by the content filter.
 */
public final class GeminiResponseConverter {
  private static final ObjectMapper JSON = Json.MAPPER;

  private GeminiResponseConverter() {}

  public static ChatResponse fromUpstream(Buffer body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the response body is not valid JSON");
    }
    if (root == null
        || !root.isObject()
        || !(root.has("candidates") || root.has("promptFeedback"))) {
      throw new InvalidUpstreamResponse("the response is not a Gemini GenerateContentResponse");
    }
    String responseId = root.path("responseId").asText(null);
    JsonNode candidate = root.path("candidates").path(0);
    StringBuilder text = null;
    StringBuilder reasoning = null;
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        toolCalls.add(toolCall(part, responseId, toolCalls.size()));
      } else if (part.has("text")) {
        if (part.path("thought").asBoolean(false)) {
          reasoning = append(reasoning, part.path("text").asText());
        } else {
          text = append(text, part.path("text").asText());
        }
      }
      // inline data, executable code and other parts have no canonical form
    }
    FinishReason finish =
        candidate.isObject()
            ? finishReason(candidate.path("finishReason").asText(null), !toolCalls.isEmpty())
            : blocked(root);
    return new ChatResponse(
        responseId,
        root.path("modelVersion").asText(null),
        text == null ? null : text.toString(),
        reasoning == null ? null : reasoning.toString(),
        toolCalls,
        finish,
        null,
        GeminiUsage.of(root.path("usageMetadata")));
  }

  /** A function-call part as a tool call (arguments as JSON text). */
  static ToolCall toolCall(JsonNode part, String responseId, int index) {
    JsonNode call = part.path("functionCall");
    JsonNode args = call.path("args");
    String id =
        GeminiToolCallIds.toCaller(
            call.path("id").asText(null),
            responseId,
            index,
            part.path("thoughtSignature").asText(null));
    return new ToolCall(id, call.path("name").asText(), args.isObject() ? args.toString() : "{}");
  }

  /** Content filter when the prompt was blocked; null when Gemini said nothing. */
  static FinishReason blocked(JsonNode root) {
    return root.path("promptFeedback").hasNonNull("blockReason")
        ? FinishReason.CONTENT_FILTER
        : null;
  }

  /**
   * Gemini's finish reasons in canonical terms. Gemini says {@code STOP} after function calls too;
   * callers expect to be told to run their tools.
   */
  static FinishReason finishReason(String reason, boolean calledTools) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY",
          "RECITATION",
          "LANGUAGE",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT",
          "IMAGE_RECITATION" ->
          FinishReason.CONTENT_FILTER;
      // STOP, MALFORMED_FUNCTION_CALL, OTHER, and any new reason
      default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    };
  }

  private static StringBuilder append(StringBuilder to, String text) {
    return to == null ? new StringBuilder(text) : to.append(text);
  }
}
