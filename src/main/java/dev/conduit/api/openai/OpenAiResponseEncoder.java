package dev.conduit.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Json;
import dev.conduit.core.ToolCall;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;

/** A canonical answer as an OpenAI {@code chat.completion} body. */
public final class OpenAiResponseEncoder {
  private static final ObjectMapper JSON = Json.MAPPER;

  private OpenAiResponseEncoder() {}

  /**
   * @param response the answer
   * @param created the {@code created} timestamp (epoch seconds)
   */
  public static Buffer encode(ChatResponse response, long created) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", response.id() != null ? response.id() : "chatcmpl-" + created);
    body.put("object", "chat.completion");
    body.put("created", created);
    body.put("model", response.model());
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (response.text() != null) {
      message.put("content", response.text());
    } else {
      message.putNull("content");
    }
    if (response.reasoning() != null) {
      message.put("reasoning_content", response.reasoning()); // DeepSeek's extension name
    }
    if (!response.toolCalls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (ToolCall call : response.toolCalls()) {
        calls
            .addObject()
            .put("id", call.id())
            .put("type", "function")
            .putObject("function")
            .put("name", call.name())
            .put("arguments", call.arguments());
      }
    }
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(response.finishReason()));
    body.set("usage", usage(response.usage()));
    return Buffer.buffer(body.toString());
  }

  static String finishReason(FinishReason reason) {
    if (reason == null) {
      return "stop";
    }
    return switch (reason) {
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      case STOP, STOP_SEQUENCE -> "stop";
    };
  }

  static ObjectNode usage(Usage usage) {
    ObjectNode out =
        JSON.createObjectNode()
            .put("prompt_tokens", usage.inputTokens())
            .put("completion_tokens", usage.outputTokens())
            .put("total_tokens", usage.totalTokens());
    ObjectNode details =
        out.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
    if (usage.cacheWriteTokens() > 0) {
      details.put("cache_write_tokens", usage.cacheWriteTokens());
    }
    return out;
  }
}
