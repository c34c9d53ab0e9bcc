package dev.conduit.core;

/**
 * Token counts of one request, as reported by the provider (or counted by the gateway when the
 * provider reports none).
 *
 * <p>{@code inputTokens} is the whole prompt, as OpenAI counts {@code prompt_tokens}: it includes
 * the cached and cache-write tokens, which are also given on their own so prices can differ
 * (Anthropic reports the three apart; its adapter adds them up).
 *
 * @param inputTokens prompt tokens, including cached and cache-write ones
 * @param outputTokens completion tokens, including reasoning ones
 * @param cachedInputTokens prompt tokens served from the provider's prompt cache
 * @param cacheWriteTokens prompt tokens written to the provider's prompt cache
 * @param reasoningTokens output tokens spent on reasoning, when the provider says (already counted
 *     in {@code outputTokens}); 0 when unknown
 */
public record Usage(
    long inputTokens,
    long outputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long reasoningTokens) {

  public static final Usage NONE = new Usage(0, 0, 0, 0);

  /** Usage without a reasoning token count. */
  public Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens) {
    this(inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, 0);
  }

  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0);
  }

  /** Whether the provider reported anything at all. */
  public boolean isKnown() {
    return inputTokens > 0 || outputTokens > 0;
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
