package dev.conduit.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Usage;

/**
 * Bedrock's token counts ({@code TokenUsage}) in canonical terms. Bedrock reports cache reads and
 * writes apart from {@code inputTokens}, as Anthropic does; the canonical input total adds them up
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html).
 */
final class BedrockUsage {
  private BedrockUsage() {}

  static Usage of(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    long input = usage.path("inputTokens").asLong(0);
    long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
    long cacheWrite = usage.path("cacheWriteInputTokens").asLong(0);
    return new Usage(
        input + cacheRead + cacheWrite,
        usage.path("outputTokens").asLong(0),
        cacheRead,
        cacheWrite);
  }
}
