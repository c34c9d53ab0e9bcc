package dev.conduit.route;

import java.util.List;

/**
 * A model alias and the deployments that serve it.
 *
 * @param alias the name callers use
 * @param strategy how its deployments are ordered for each request
 * @param fallbacks aliases tried, in order, when all of this one's deployments failed
 * @param retries attempts a request may make again on deployments it already tried
 * @param deployments candidates, in configured order
 */
public record ModelRoute(
    String alias,
    Strategy strategy,
    List<String> fallbacks,
    int retries,
    List<Deployment> deployments) {
  public ModelRoute {
    fallbacks = List.copyOf(fallbacks);
    deployments = List.copyOf(deployments);
  }

  public ModelRoute(String alias, List<Deployment> deployments) {
    this(alias, Strategy.PRIORITY, List.of(), 0, deployments);
  }
}
