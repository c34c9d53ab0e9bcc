package dev.conduit.route;

import java.util.List;

/**
 * A model alias and the deployments that serve it, in preference order.
 *
 * @param alias the name callers use
 * @param deployments candidates, first preferred
 */
public record ModelRoute(String alias, List<Deployment> deployments) {
  public ModelRoute {
    deployments = List.copyOf(deployments);
  }
}
