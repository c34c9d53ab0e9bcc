package dev.conduit.keys;

import dev.conduit.config.SpendConfig;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.pricing.Prices;
import dev.conduit.route.Deployment;
import dev.conduit.store.ModelPrice;
import java.util.Optional;

/**
 * How much a request admitted with a limited spend reserves: its worst-case cost over every
 * deployment that may serve it, and the output tokens that cost assumes. Immutable apart from the
 * live price table; safe on any thread.
 */
final class ReservationSizing {
  private final Prices prices;
  private final SpendConfig config;

  ReservationSizing(Prices prices, SpendConfig config) {
    this.prices = prices;
    this.config = config;
  }

  /** The most the request can cost on any deployment that may serve it. */
  long maxCost(Admission.Call call, long promptTokens) {
    long most = 0;
    for (Deployment deployment : call.deployments()) {
      if (!deployment.provider().isAvailable()) {
        continue;
      }
      Optional<ModelPrice> price = prices.find(deployment);
      if (price.isEmpty() && call.endpoint() == Endpoint.MODERATIONS) {
        continue; // free where they are served, unless a price row says otherwise
      }
      if (price.isEmpty()) {
        throw new GatewayException(
            GatewayError.forbidden(
                "model_not_priced",
                "Model '"
                    + call.alias()
                    + "' may be served by "
                    + deployment.id()
                    + ", which has no "
                    + "price in the gateway's price table, and this key's spend is limited. Ask the "
                    + "gateway's administrator to add its price."));
      }
      long output =
          !producesOutputTokens(call)
              ? 0
              : call.maxTokens() != null
                  ? call.maxTokens()
                  : price.get().maxOutputTokens() != null
                      ? price.get().maxOutputTokens()
                      : config.defaultMaxOutputTokens();
      long cost = price.get().maxCost(promptTokens, output);
      if (call.units() != null) {
        Long units = price.get().cost(call.units(), call.unitVariant());
        if (units == null) {
          throw new GatewayException(
              GatewayError.forbidden(
                  "model_not_priced",
                  "Model '"
                      + call.alias()
                      + "' may be served by "
                      + deployment.id()
                      + ", whose price has no rate for "
                      + call.units().kind().dbName()
                      + (call.unitVariant() == null ? "" : " (" + call.unitVariant() + ")")
                      + ", and this key's spend is limited. Ask the gateway's administrator to "
                      + "add it."));
        }
        cost += units;
      }
      most = Math.max(most, cost);
    }
    return most;
  }

  /**
   * Whether the call's answer is model text priced in output tokens, which the reservation must
   * cover: chat and completions, and each response of a Realtime session; not embeddings, nor calls
   * priced in units (images, audio, rerank).
   */
  private static boolean producesOutputTokens(Admission.Call call) {
    return (call.endpoint().producesText() || call.endpoint() == Endpoint.REALTIME)
        && call.units() == null;
  }

  /**
   * The output tokens the reservation covers on every deployment that may serve: the caller's
   * {@code max_tokens}, else the smallest output limit among the deployments (a stream is cut
   * there, so no deployment's answer costs more than was reserved). Null for embeddings and calls
   * priced in units.
   */
  Long reservedOutputTokens(Admission.Call call) {
    if (!producesOutputTokens(call)) {
      return null;
    }
    if (call.maxTokens() != null) {
      return call.maxTokens();
    }
    long least = Long.MAX_VALUE;
    for (Deployment deployment : call.deployments()) {
      if (!deployment.provider().isAvailable()) {
        continue;
      }
      Optional<ModelPrice> price = prices.find(deployment);
      long output =
          price.isPresent() && price.get().maxOutputTokens() != null
              ? price.get().maxOutputTokens()
              : config.defaultMaxOutputTokens();
      least = Math.min(least, output);
    }
    return least == Long.MAX_VALUE ? null : least;
  }
}
