package dev.conduit.store;

import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import dev.conduit.core.Usd;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
 * @param perImageNanos a charge per generated image of any size and quality; null for none
 * @param perImageVariantNanos charges per image by variant, overriding {@code perImageNanos}: keys
 *     {@code SIZE/QUALITY} (such as {@code 1024x1024/hd}) or {@code SIZE} (any quality), lower
 *     case; empty for none
 * @param perAudioSecondNanos a charge per second of audio (transcription, translation); null for
 *     none
 * @param perMCharNanos a charge per million characters (speech input); null for none
 * @param perSearchUnitNanos a charge per rerank search unit; null for none
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
    Map<String, Long> perImageVariantNanos,
    Long perAudioSecondNanos,
    Long perMCharNanos,
    Long perSearchUnitNanos,
    Long maxOutputTokens,
    String source,
    String asOf,
    long updatedAt) {

  public ModelPrice {
    TreeMap<String, Long> variants = new TreeMap<>();
    if (perImageVariantNanos != null) {
      perImageVariantNanos.forEach(
          (variant, nanos) -> variants.put(variant.toLowerCase(Locale.ROOT), nanos));
    }
    perImageVariantNanos = java.util.Collections.unmodifiableSortedMap(variants);
  }

  /** A price in tokens (and per request or per image), without the other unit prices. */
  public ModelPrice(
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
    this(
        id,
        provider,
        model,
        inputNanosPerMTok,
        outputNanosPerMTok,
        cachedInputNanosPerMTok,
        cacheWriteNanosPerMTok,
        perRequestNanos,
        perImageNanos,
        Map.of(),
        null,
        null,
        null,
        maxOutputTokens,
        source,
        asOf,
        updatedAt);
  }

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

  /**
   * The cost of the non-token units a call consumed, added to its token {@link #cost(Usage,
   * boolean)}: images at their variant's price, audio seconds, characters per million, search
   * units. Rounded half up to a whole nano.
   *
   * @param units what the call consumed; null for a token-only call (costs 0)
   * @param imageVariant for images, {@code SIZE/QUALITY} (such as {@code 1024x1024/hd}) or {@code
   *     SIZE}; null for the plain per-image price
   * @return the cost in nano-dollars, or null when this price has no rate for the unit (the call is
   *     then unpriced)
   */
  public Long cost(Units units, String imageVariant) {
    if (units == null) {
      return 0L;
    }
    Long rate = unitRate(units.kind(), imageVariant);
    if (rate == null) {
      return null;
    }
    double amount = units.amount();
    if (units.kind() == Units.UnitKind.CHARACTERS) {
      return Math.round(amount * rate / 1_000_000d);
    }
    return Math.round(amount * rate);
  }

  /**
   * Nanos per unit of {@code kind} (per million for characters); for images the variant's price,
   * else the size's, else the plain per-image price. Null when there is none.
   */
  public Long unitRate(Units.UnitKind kind, String imageVariant) {
    return switch (kind) {
      case IMAGES -> imageRate(imageVariant);
      case AUDIO_SECONDS -> perAudioSecondNanos;
      case CHARACTERS -> perMCharNanos;
      case SEARCH_UNITS -> perSearchUnitNanos;
    };
  }

  private Long imageRate(String variant) {
    if (variant != null && !perImageVariantNanos.isEmpty()) {
      String key = variant.toLowerCase(Locale.ROOT);
      Long exact = perImageVariantNanos.get(key);
      if (exact != null) {
        return exact;
      }
      int slash = key.indexOf('/');
      if (slash > 0) {
        Long size = perImageVariantNanos.get(key.substring(0, slash));
        if (size != null) {
          return size;
        }
      }
    }
    return perImageNanos;
  }
}
