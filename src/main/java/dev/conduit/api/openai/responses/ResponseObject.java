package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;

/**
 * The Responses API's {@code response} object
 * (https://platform.openai.com/docs/api-reference/responses/object) for translated answers: the
 * output and usage, with the request's settings echoed as OpenAI echoes them (defaults filled in).
 */
final class ResponseObject {
  private ResponseObject() {}

  /**
   * @param output the output items; null while the response is in progress (an empty list)
   * @param finishReason why the model stopped (null: still in progress)
   * @param usage token counts; null while in progress
   */
  static ObjectNode build(
      ResponseMeta meta, String model, ArrayNode output, FinishReason finishReason, Usage usage) {
    ObjectNode request = meta.request();
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("id", meta.id());
    body.put("object", "response");
    body.put("created_at", meta.createdAt());
    String incomplete = incompleteReason(finishReason);
    body.put(
        "status", usage == null ? "in_progress" : incomplete != null ? "incomplete" : "completed");
    body.putNull("error");
    if (incomplete != null && usage != null) {
      body.putObject("incomplete_details").put("reason", incomplete);
    } else {
      body.putNull("incomplete_details");
    }
    echo(body, request, "instructions", null);
    echo(body, request, "max_output_tokens", null);
    body.put("model", model);
    body.set("output", output == null ? Json.MAPPER.createArrayNode() : output);
    echo(body, request, "parallel_tool_calls", Json.MAPPER.getNodeFactory().booleanNode(true));
    echo(body, request, "previous_response_id", null);
    ObjectNode reasoning = body.putObject("reasoning");
    JsonNode effort = request.path("reasoning").path("effort");
    if (effort.isTextual()) {
      reasoning.put("effort", effort.asText());
    } else {
      reasoning.putNull("effort");
    }
    reasoning.putNull("summary");
    echo(body, request, "store", Json.MAPPER.getNodeFactory().booleanNode(true));
    echo(body, request, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0));
    JsonNode format = request.path("text").path("format");
    body.putObject("text")
        .set(
            "format",
            format.isObject() ? format : Json.MAPPER.createObjectNode().put("type", "text"));
    echo(body, request, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto"));
    echo(body, request, "tools", Json.MAPPER.createArrayNode());
    echo(body, request, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0));
    echo(body, request, "truncation", Json.MAPPER.getNodeFactory().textNode("disabled"));
    if (usage != null) {
      body.set("usage", usage(usage));
    } else {
      body.putNull("usage");
    }
    echo(body, request, "user", null);
    echo(body, request, "metadata", Json.MAPPER.createObjectNode());
    return body;
  }

  /** The Responses usage object. Reasoning tokens are counted in the output tokens. */
  static ObjectNode usage(Usage usage) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("input_tokens", usage.inputTokens());
    node.putObject("input_tokens_details")
        .put("cached_tokens", usage.cachedInputTokens())
        .put("cache_write_tokens", usage.cacheWriteTokens());
    node.put("output_tokens", usage.outputTokens());
    node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    node.put("total_tokens", usage.totalTokens());
    return node;
  }

  /** {@code incomplete_details.reason} for an answer cut short, or null for a complete one. */
  static String incompleteReason(FinishReason reason) {
    if (reason == FinishReason.LENGTH) {
      return "max_output_tokens";
    }
    return reason == FinishReason.CONTENT_FILTER ? "content_filter" : null;
  }

  private static void echo(ObjectNode body, ObjectNode request, String field, JsonNode fallback) {
    JsonNode value = request.get(field);
    if (value != null && !value.isNull()) {
      body.set(field, value);
    } else if (fallback != null) {
      body.set(field, fallback);
    } else {
      body.putNull(field);
    }
  }
}
