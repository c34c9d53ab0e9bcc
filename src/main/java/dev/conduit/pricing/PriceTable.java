package dev.conduit.pricing;

import dev.conduit.core.Usd;
import dev.conduit.route.PriceLookup;
import dev.conduit.store.ModelPrice;
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
  /** Provider (a name or a type) to model to price; nested so a lookup builds no key. */
  private volatile Map<String, Map<String, ModelPrice>> byProvider = Map.of();

  @Override
  public Optional<ModelPrice> find(String providerName, String providerType, String model) {
    Map<String, Map<String, ModelPrice>> prices = byProvider;
    ModelPrice price = priceOf(prices, providerName, model);
    if (price == null && providerType != null) {
      price = priceOf(prices, providerType, model);
    }
    return Optional.ofNullable(price);
  }

  private static ModelPrice priceOf(
      Map<String, Map<String, ModelPrice>> prices, String provider, String model) {
    Map<String, ModelPrice> models = prices.get(provider);
    return models == null ? null : models.get(model);
  }

  /**
   * The routing view of the table, for the {@code least-cost} strategy: a deployment's input plus
   * output price per million tokens, in US dollars; empty when it has no price.
   */
  public PriceLookup forRouting() {
    return deployment ->
        find(deployment)
            .map(
                price ->
                    OptionalDouble.of(
                        (double) (price.inputNanosPerMTok() + price.outputNanosPerMTok())
                            / Usd.ONE))
            .orElse(OptionalDouble.empty());
  }

  /** Replaces every price. */
  public void replaceAll(Collection<ModelPrice> prices) {
    Map<String, Map<String, ModelPrice>> next = new HashMap<>();
    for (ModelPrice price : prices) {
      next.computeIfAbsent(price.provider(), provider -> new HashMap<>()).put(price.model(), price);
    }
    next.replaceAll((provider, models) -> Map.copyOf(models));
    byProvider = Map.copyOf(next);
  }

  public int size() {
    int size = 0;
    for (Map<String, ModelPrice> models : byProvider.values()) {
      size += models.size();
    }
    return size;
  }
}
