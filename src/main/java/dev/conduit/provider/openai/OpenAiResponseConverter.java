package dev.conduit.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.FinishReason;
import dev.conduit.core.ToolCall;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI Chat Completions response (or an OpenAI-compatible one) to the canonical model. Reads
 * the first choice; tolerates the common extensions ({@code reasoning_content}, {@code reasoning},
 * usage in {@code x_groq}).
 */
public final class OpenAiResponseConverter {

  private OpenAiResponseConverter() {}

  public static ChatResponse fromUpstream(Buffer body) {
    JsonNode root = UpstreamJson.readObject(body);
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject()) {
      throw new InvalidUpstreamResponse("the response has no choices");
    }
    JsonNode message = choice.path("message");
    String text = message.path("content").isTextual() ? message.path("content").asText() : null;
    String reasoning = reasoningOf(message);
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      toolCalls.add(
          new ToolCall(
              textOrNull(call.get("id")),
              textOrNull(function.get("name")),
              textOrNull(function.get("arguments"))));
    }
    return new ChatResponse(
        textOrNull(root.get("id")),
        textOrNull(root.get("model")),
        text,
        reasoning,
        toolCalls,
        finishReason(textOrNull(choice.get("finish_reason"))),
        null,
        usage(root));
  }

  /** The reasoning text of a message or delta: DeepSeek's and vLLM's two spellings. */
  static String reasoningOf(JsonNode messageOrDelta) {
    JsonNode reasoning = messageOrDelta.get("reasoning_content");
    if (reasoning == null || !reasoning.isTextual()) {
      reasoning = messageOrDelta.get("reasoning");
    }
    return reasoning != null && reasoning.isTextual() ? reasoning.asText() : null;
  }

  /**
   * OpenAI's finish reasons and the compatible servers' extras, in canonical terms; null for none.
   */
  public static FinishReason finishReason(String reason) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "length", "model_length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP; // stop, eos, error, insufficient_system_resource, ...
    };
  }

  /** The usage of a response or chunk ({@code usage}, else Groq's {@code x_groq.usage}). */
  static Usage usage(JsonNode root) {
    JsonNode usage = root.path("usage");
    if (!usage.isObject()) {
      usage = root.path("x_groq").path("usage");
    }
    if (!usage.isObject()) {
      return Usage.NONE;
    }
    JsonNode details = usage.path("prompt_tokens_details");
    return new Usage(
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        details.path("cached_tokens").asLong(0),
        details.path("cache_write_tokens").asLong(0));
  }

  static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
