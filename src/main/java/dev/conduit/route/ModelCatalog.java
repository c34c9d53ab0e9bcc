package dev.conduit.route;

import dev.conduit.config.DeploymentConfig;
import dev.conduit.config.ModelConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Model aliases the gateway serves, looked up by name on every request. */
public final class ModelCatalog {
  private final Map<String, ModelRoute> routes;

  private ModelCatalog(Map<String, ModelRoute> routes) {
    this.routes = routes;
  }

  public static ModelCatalog build(List<ModelConfig> models, ProviderRegistry providers) {
    Map<String, ModelRoute> routes = new LinkedHashMap<>();
    for (ModelConfig model : models) {
      List<Deployment> deployments = new ArrayList<>();
      for (DeploymentConfig deployment : model.deployments()) {
        Provider provider = providers.find(deployment.provider()).orElseThrow();
        deployments.add(Deployment.of(provider, deployment.model(), deployment.region(),
            deployment.timeouts()));
      }
      routes.put(model.alias(), new ModelRoute(model.alias(), deployments));
    }
    return new ModelCatalog(java.util.Collections.unmodifiableMap(routes));
  }

  public Optional<ModelRoute> find(String alias) {
    return Optional.ofNullable(routes.get(alias));
  }

  /** All aliases, in configuration order. */
  public Collection<ModelRoute> all() {
    return routes.values();
  }
}
