package dev.conduit.route;

import dev.conduit.provider.Provider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's status (and why) from its health and the circuits of the deployments that name it.
 */
public final class ProviderStatuses {
  private final ModelCatalog catalog;
  private final DeploymentStates states;
  private final ProviderHealth health;

  public ProviderStatuses(ModelCatalog catalog, DeploymentStates states, ProviderHealth health) {
    this.catalog = catalog;
    this.states = states;
    this.health = health;
  }

  /** The deployments in force that call {@code provider}, by id. */
  public Map<String, Deployment> deploymentsOf(String provider) {
    Map<String, Deployment> byId = new LinkedHashMap<>();
    for (ModelRoute route : catalog.all()) {
      for (Deployment deployment : route.deployments()) {
        if (deployment.provider().name().equals(provider)) {
          byId.putIfAbsent(deployment.id(), deployment);
        }
      }
    }
    return byId;
  }

  public ProviderHealth.Verdict status(Provider provider) {
    List<DeploymentState> deploymentStates = new ArrayList<>();
    for (Deployment deployment : deploymentsOf(provider.name()).values()) {
      deploymentStates.add(states.of(deployment));
    }
    return health.status(provider, deploymentStates);
  }
}
