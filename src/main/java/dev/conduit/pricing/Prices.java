package dev.conduit.pricing;

import dev.conduit.route.Deployment;
import dev.conduit.store.ModelPrice;
import java.util.Optional;

/**
 * Finds the price of a provider model: cost per request and budget reservations use it, and
 * routing's {@code least-cost} strategy sees it through {@link PriceTable#forRouting()}. Lookups
 * are in memory.
 */
public interface Prices {

  /**
   * The price of {@code model} served by provider {@code providerName} of type {@code
   * providerType}: a row for the provider's own name wins over a row for its type.
   */
  Optional<ModelPrice> find(String providerName, String providerType, String model);

  /** The price of the model a deployment serves. */
  default Optional<ModelPrice> find(Deployment deployment) {
    return find(
        deployment.provider().name(), deployment.provider().config().type(), deployment.model());
  }
}
