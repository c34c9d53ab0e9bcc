package dev.conduit.route;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses the deployments to try for a request, in order: the alias's own deployments in its
 * strategy's order, then those of each fallback alias. Deployments whose provider cannot serve (its
 * key is unset, it is disabled, every key was rejected) are left out; circuits are checked when an
 * attempt starts, so that an open circuit can half-open.
 */
public final class Router {
  private final ModelCatalog catalog;
  private final DeploymentStates states;
  private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();
  private volatile PriceLookup prices;

  public Router(ModelCatalog catalog, DeploymentStates states, PriceLookup prices) {
    this.catalog = catalog;
    this.states = states;
    this.prices = prices;
  }

  /** Sets the price table the least-cost strategy reads. */
  public void prices(PriceLookup newPrices) {
    this.prices = newPrices;
  }

  /**
   * The deployments to try, first preferred; never empty.
   *
   * @throws GatewayException (503) when no deployment of the alias can serve
   */
  public Plan plan(ModelRoute route) {
    List<Candidate> candidates = new ArrayList<>();
    Set<String> reasons = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    addCandidates(route, false, candidates, reasons, seen);
    Set<String> aliases = new HashSet<>(Set.of(route.alias()));
    for (String fallback : route.fallbacks()) {
      Optional<ModelRoute> fallbackRoute = catalog.find(fallback);
      if (fallbackRoute.isPresent() && aliases.add(fallback)) {
        addCandidates(fallbackRoute.get(), true, candidates, reasons, seen);
      }
    }
    if (candidates.isEmpty()) {
      throw new GatewayException(
          GatewayError.unavailable(
              "provider_not_configured",
              "Model '"
                  + route.alias()
                  + "' cannot be served right now: "
                  + String.join("; ", reasons)
                  + "."));
    }
    return new Plan(route, candidates, route.retries());
  }

  private void addCandidates(
      ModelRoute route,
      boolean fallback,
      List<Candidate> candidates,
      Set<String> reasons,
      Set<String> seen) {
    long turn =
        route.strategy() == Strategy.ROUND_ROBIN
            ? turns.computeIfAbsent(route.alias(), alias -> new AtomicLong()).getAndIncrement()
            : 0;
    for (Deployment deployment :
        route.strategy().order(route.deployments(), states, prices, turn)) {
      Optional<String> why = deployment.provider().whyNotServing();
      if (why.isPresent()) {
        reasons.add(why.get());
      } else if (seen.add(deployment.id())) {
        candidates.add(new Candidate(deployment, states.of(deployment), route.alias(), fallback));
      }
    }
  }

  /**
   * One deployment to try.
   *
   * @param deployment the deployment
   * @param state its circuit breaker and traffic figures
   * @param alias the alias it serves in this plan (the requested one or a fallback)
   * @param fallback whether it comes from a fallback alias
   */
  public record Candidate(
      Deployment deployment, DeploymentState state, String alias, boolean fallback) {}

  /**
   * The attempts for one request.
   *
   * @param route the alias asked for
   * @param candidates deployments in the order to try them
   * @param retries attempts allowed again on candidates that already failed
   */
  public record Plan(ModelRoute route, List<Candidate> candidates, int retries) {}
}
