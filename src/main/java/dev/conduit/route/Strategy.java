package dev.conduit.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;

/** How an alias's deployments are ordered for one request; the first is tried first. */
public enum Strategy {
  /** Lowest {@code priority} first (by default the configured order). */
  PRIORITY,
  /** A random order in which each deployment comes first in proportion to its weight. */
  WEIGHTED,
  /** Each request starts one deployment further along the configured order. */
  ROUND_ROBIN,
  /** Lowest moving average of recent latency first; untried deployments first of all. */
  LEAST_LATENCY,
  /** Fewest calls in flight from this instance first. */
  LEAST_BUSY,
  /** Cheapest known price first; deployments without a price after, by priority. */
  LEAST_COST;

  public static Strategy of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The configuration name, e.g. {@code round-robin}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Orders {@code deployments} for one request.
   *
   * @param turn a counter that grows by one per request of the alias (round-robin)
   */
  List<Deployment> order(
      List<Deployment> deployments, DeploymentStates states, PriceLookup prices, long turn) {
    List<Deployment> ordered = new ArrayList<>(deployments);
    Comparator<Deployment> byPriority = Comparator.comparingInt(Deployment::priority);
    switch (this) {
      case PRIORITY -> ordered.sort(byPriority);
      case WEIGHTED -> weightedShuffle(ordered);
      case ROUND_ROBIN ->
          java.util.Collections.rotate(ordered, -(int) Math.floorMod(turn, (long) ordered.size()));
      case LEAST_LATENCY ->
          ordered.sort(
              Comparator.comparingDouble((Deployment d) -> states.of(d).latencyMs())
                  .thenComparing(byPriority));
      case LEAST_BUSY ->
          ordered.sort(
              Comparator.comparingInt((Deployment d) -> states.of(d).inFlight())
                  .thenComparing(byPriority));
      case LEAST_COST ->
          ordered.sort(
              Comparator.comparingDouble((Deployment d) -> priceOrMax(prices.price(d)))
                  .thenComparing(byPriority));
    }
    return ordered;
  }

  private static double priceOrMax(OptionalDouble price) {
    return price.isPresent() ? price.getAsDouble() : Double.MAX_VALUE;
  }

  /** Weighted random order without replacement; zero-weight deployments go last. */
  private static void weightedShuffle(List<Deployment> deployments) {
    List<Deployment> remaining = new ArrayList<>(deployments);
    deployments.clear();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!remaining.isEmpty()) {
      long total = 0;
      for (Deployment deployment : remaining) {
        total += deployment.weight();
      }
      int chosen = 0;
      if (total > 0) {
        long point = random.nextLong(total);
        for (int i = 0; i < remaining.size(); i++) {
          point -= remaining.get(i).weight();
          if (point < 0) {
            chosen = i;
            break;
          }
        }
      }
      deployments.add(remaining.remove(chosen));
    }
  }
}
