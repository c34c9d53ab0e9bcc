package dev.conduit.store;

import dev.conduit.core.Usage;
import dev.conduit.core.Usd;

/**
 * The list price of one provider model. Money is in nano-dollars; token prices are per million
 * tokens.
 *
 * @param id row id
 * @param provider a provider name from the configuration, or a provider type (such as {@code
 *     openai}) that prices the model for every provider of that type
 * @param model the provider's model name
 * @param inputNanosPerMTok prompt tokens read normally
 * @param outputNanosPerMTok completion tokens (reasoning included)
 * @param cachedInputNanosPerMTok prompt tokens read from the provider's cache; null: input price
 * @param cacheWriteNanosPerMTok prompt tokens written to the provider's cache; null: input price
 * @param perRequestNanos a fixed charge per successful request; null for none
 * @param perImageNanos a charge per generated image; null for none (kept for image endpoints)
 * @param maxOutputTokens the model's output limit, used to reserve budget when a request sets no
 *     {@code max_tokens}; null when unknown
 * @param source {@code seed} (the shipped list), {@code admin} or {@code import}
 * @param asOf the date the price was read from the provider (seed rows), else null
 * @param updatedAt last change, epoch milliseconds
 */
public record ModelPrice(
    String id,
    String provider,
    String model,
    long inputNanosPerMTok,
    long outputNanosPerMTok,
    Long cachedInputNanosPerMTok,
    Long cacheWriteNanosPerMTok,
    Long perRequestNanos,
    Long perImageNanos,
    Long maxOutputTokens,
    String source,
    String asOf,
    long updatedAt) {

  /**
   * The cost of one request from its reported usage. {@link Usage#inputTokens()} includes cached
   * and cache-written tokens, which are priced at their own rates.
   *
   * @param succeeded whether the request succeeded (the per-request charge applies only then)
   */
  public long cost(Usage usage, boolean succeeded) {
    long cached = Math.max(0, usage.cachedInputTokens());
    long written = Math.max(0, usage.cacheWriteTokens());
    long plain = Math.max(0, usage.inputTokens() - cached - written);
    long cost =
        Usd.perMillion(plain, inputNanosPerMTok)
            + Usd.perMillion(cached, orInput(cachedInputNanosPerMTok))
            + Usd.perMillion(written, orInput(cacheWriteNanosPerMTok))
            + Usd.perMillion(Math.max(0, usage.outputTokens()), outputNanosPerMTok);
    if (succeeded && perRequestNanos != null) {
      cost += perRequestNanos;
    }
    return cost;
  }

  /**
   * The most a request can cost: every prompt token at the dearest input rate, and {@code
   * outputTokens} completion tokens.
   */
  public long maxCost(long promptTokens, long outputTokens) {
    long inputRate = Math.max(inputNanosPerMTok, orInput(cacheWriteNanosPerMTok));
    return Usd.perMillion(promptTokens, inputRate)
        + Usd.perMillion(outputTokens, outputNanosPerMTok)
        + (perRequestNanos == null ? 0 : perRequestNanos);
  }

  private long orInput(Long rate) {
    return rate == null ? inputNanosPerMTok : rate;
  }
}
