package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Usage;

/** Usage from a Responses {@code usage} object. */
final class ResponsesUsage {
  private ResponsesUsage() {}

  static Usage of(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    return new Usage(
        usage.path("input_tokens").asLong(0),
        usage.path("output_tokens").asLong(0),
        usage.path("input_tokens_details").path("cached_tokens").asLong(0),
        0,
        usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
  }
}
