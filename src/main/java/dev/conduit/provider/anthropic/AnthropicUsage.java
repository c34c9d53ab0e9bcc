package dev.conduit.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Usage;

/**
 * Anthropic's token counts, which arrive in pieces: {@code message_start} carries the input side,
 * {@code message_delta} the (cumulative) output and sometimes the input again. Anthropic counts
 * cached and cache-write tokens apart from {@code input_tokens}; the canonical input total adds
 * them up (https://docs.anthropic.com/en/api/messages, "usage").
 */
public final class AnthropicUsage {
  private long input;
  private long output;
  private long cacheRead;
  private long cacheWrite;

  /** Folds in a {@code usage} object; fields it lacks keep their earlier values. */
  public AnthropicUsage merge(JsonNode usage) {
    if (usage != null && usage.isObject()) {
      input = valueOr(usage, "input_tokens", input);
      output = valueOr(usage, "output_tokens", output);
      cacheRead = valueOr(usage, "cache_read_input_tokens", cacheRead);
      cacheWrite = valueOr(usage, "cache_creation_input_tokens", cacheWrite);
    }
    return this;
  }

  public Usage toUsage() {
    return new Usage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite);
  }

  /** The canonical usage of one complete {@code usage} object. */
  public static Usage of(JsonNode usage) {
    return new AnthropicUsage().merge(usage).toUsage();
  }

  private static long valueOr(JsonNode usage, String field, long previous) {
    JsonNode value = usage.get(field);
    return value != null && value.isNumber() ? value.asLong() : previous;
  }
}
