package dev.conduit.route;

import dev.conduit.core.GatewayError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the deployments to try for an alias, in order. Deployments whose provider cannot serve
 * (for example its API key is not set) are skipped.
 */
public final class Router {

  /** The deployments to try, first preferred; never empty. */
  public Plan plan(ModelRoute route) {
    List<Deployment> candidates = new ArrayList<>(route.deployments().size());
    Set<String> reasons = new LinkedHashSet<>();
    for (Deployment deployment : route.deployments()) {
      if (deployment.provider().isAvailable()) {
        candidates.add(deployment);
      } else {
        reasons.add("provider '" + deployment.provider().name() + "' is not configured: "
            + deployment.provider().unavailableReason().orElseThrow());
      }
    }
    if (candidates.isEmpty()) {
      throw new NoDeploymentAvailable(GatewayError.unavailable("provider_not_configured",
          "Model '" + route.alias() + "' cannot be served right now: "
              + String.join("; ", reasons) + "."));
    }
    return new Plan(route, candidates);
  }

  /**
   * The attempts for one request.
   *
   * @param route the alias
   * @param candidates deployments in the order to try them
   */
  public record Plan(ModelRoute route, List<Deployment> candidates) {}

  /** No deployment of the alias can serve; carries the 503 to answer. */
  public static final class NoDeploymentAvailable extends RuntimeException {
    private final GatewayError error;

    public NoDeploymentAvailable(GatewayError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public GatewayError error() {
      return error;
    }
  }
}
