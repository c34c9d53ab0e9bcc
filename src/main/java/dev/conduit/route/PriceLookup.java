package dev.conduit.route;

import java.util.OptionalDouble;

/**
 * Prices of deployments, for the {@code least-cost} strategy. The keys and spend feature fills it
 * from its price table (for example input plus output price per million tokens); until a price is
 * known for a deployment, least-cost orders it after every priced one, by priority, so with no
 * prices at all it behaves as {@code priority}. Called on the request path: must be an in-memory
 * lookup.
 */
@FunctionalInterface
public interface PriceLookup {
  PriceLookup NONE = deployment -> OptionalDouble.empty();

  /** A comparable cost of one typical call to {@code deployment}, or empty when unknown. */
  OptionalDouble price(Deployment deployment);
}
