package dev.conduit.config;

/**
 * How spend is counted, reserved and stored (budgets, balances and rate limits).
 *
 * @param flushIntervalMs how often settled spend is added to the database in one batch
 * @param reservationTtlMs how long a reservation may stay open before it is released anyway (an
 *     instance that dies mid-request must not hold budget for ever); longer than any request
 * @param defaultMaxOutputTokens output tokens reserved for a request that sets no {@code
 *     max_tokens} when the price table does not know the model's output limit
 * @param promptTokenMargin factor on the counted prompt tokens when reserving, for tokenizers that
 *     count differently from the one the gateway uses
 * @param refreshIntervalMs how often key groups, IP filters and prices changed by other instances
 *     are picked up
 */
public record SpendConfig(
    Long flushIntervalMs,
    Long reservationTtlMs,
    Long defaultMaxOutputTokens,
    Double promptTokenMargin,
    Long refreshIntervalMs) {

  public SpendConfig {
    flushIntervalMs = flushIntervalMs == null ? 1_000L : flushIntervalMs;
    reservationTtlMs = reservationTtlMs == null ? 900_000L : reservationTtlMs;
    defaultMaxOutputTokens = defaultMaxOutputTokens == null ? 16_384L : defaultMaxOutputTokens;
    promptTokenMargin = promptTokenMargin == null ? 1.1 : promptTokenMargin;
    refreshIntervalMs = refreshIntervalMs == null ? 1_000L : refreshIntervalMs;
  }

  public static SpendConfig defaults() {
    return new SpendConfig(null, null, null, null, null);
  }
}
