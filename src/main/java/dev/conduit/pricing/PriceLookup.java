package dev.conduit.pricing;

import dev.conduit.route.Deployment;
import java.util.Optional;

/**
 * Finds the price of a provider model. Used for cost per request and budget reservations, and
 * available to routing (for example a {@code least-cost} strategy). Lookups are in memory.
 */
public interface PriceLookup {

  /**
   * The price of {@code model} served by provider {@code providerName} of type
   * {@code providerType}: a row for the provider's own name wins over a row for its type.
   */
  Optional<ModelPrice> find(String providerName, String providerType, String model);

  /** The price of the model a deployment serves. */
  default Optional<ModelPrice> find(Deployment deployment) {
    return find(deployment.provider().name(), deployment.provider().config().type(),
        deployment.model());
  }
}
