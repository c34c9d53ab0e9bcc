package dev.conduit.route;

import java.util.OptionalDouble;

/**
 * Prices of provider models, for the {@code least-cost} strategy. The keys and spend feature
 * fills it from its price table; until a price is known for a deployment, least-cost orders it
 * after every priced one, by priority, so with no prices at all it behaves as {@code priority}.
 */
@FunctionalInterface
public interface PriceLookup {
  PriceLookup NONE = (provider, model) -> OptionalDouble.empty();

  /**
   * A comparable cost of one typical call (for example USD per million input plus output
   * tokens), or empty when unknown.
   *
   * @param provider provider name
   * @param model the provider's model name
   */
  OptionalDouble price(String provider, String model);
}
