package dev.conduit.pricing;

import dev.conduit.core.Usd;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The price table in memory: a snapshot replaced whole when prices change, so lookups on the
 * request path never lock and never touch the database.
 */
public final class PriceTable implements Prices {
  private volatile Map<String, ModelPrice> byProviderAndModel = Map.of();

  @Override
  public Optional<ModelPrice> find(String providerName, String providerType, String model) {
    Map<String, ModelPrice> prices = byProviderAndModel;
    ModelPrice price = prices.get(key(providerName, model));
    if (price == null && providerType != null) {
      price = prices.get(key(providerType, model));
    }
    return Optional.ofNullable(price);
  }

  /**
   * The routing view of the table, for the {@code least-cost} strategy: a deployment's input plus
   * output price per million tokens, in US dollars; empty when it has no price.
   */
  public dev.conduit.route.PriceLookup forRouting() {
    return deployment -> find(deployment)
        .map(price -> OptionalDouble.of(
            (double) (price.inputNanosPerMTok() + price.outputNanosPerMTok()) / Usd.ONE))
        .orElse(OptionalDouble.empty());
  }

  /** Replaces every price. */
  public void replaceAll(Collection<ModelPrice> prices) {
    Map<String, ModelPrice> next = new HashMap<>();
    for (ModelPrice price : prices) {
      next.put(key(price.provider(), price.model()), price);
    }
    byProviderAndModel = Map.copyOf(next);
  }

  public int size() {
    return byProviderAndModel.size();
  }

  private static String key(String provider, String model) {
    return provider + '\u0000' + model;
  }
}
