package dev.conduit.route;

import dev.conduit.config.DeploymentConfig;
import dev.conduit.config.ModelConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model aliases the gateway serves, looked up by name on every request. A snapshot replaced whole
 * when an admin change arrives.
 */
public final class ModelCatalog {
  private volatile Map<String, ModelRoute> routes;

  private ModelCatalog(Map<String, ModelRoute> routes) {
    this.routes = routes;
  }

  public static ModelCatalog build(List<ModelConfig> models, ProviderRegistry providers) {
    return build(models, providers, 0);
  }

  public static ModelCatalog build(
      List<ModelConfig> models, ProviderRegistry providers, int defaultRetries) {
    return new ModelCatalog(routes(models, providers, defaultRetries));
  }

  /** Resolves aliases against {@code providers}; every provider named must exist there. */
  public static Map<String, ModelRoute> routes(
      List<ModelConfig> models, ProviderRegistry providers, int defaultRetries) {
    Map<String, ModelRoute> routes = new LinkedHashMap<>();
    for (ModelConfig model : models) {
      List<Deployment> deployments = new ArrayList<>();
      for (int i = 0; i < model.deployments().size(); i++) {
        DeploymentConfig deployment = model.deployments().get(i);
        Provider provider = providers.find(deployment.provider()).orElseThrow();
        deployments.add(Deployment.of(provider, deployment, i));
      }
      routes.put(
          model.alias(),
          new ModelRoute(
              model.alias(),
              Strategy.of(model.strategy()),
              model.fallbacks(),
              model.retries() == null ? defaultRetries : model.retries(),
              deployments));
    }
    return Collections.unmodifiableMap(routes);
  }

  /** Puts a new set of aliases in force. */
  public void replace(Map<String, ModelRoute> newRoutes) {
    this.routes = newRoutes;
  }

  public Optional<ModelRoute> find(String alias) {
    return Optional.ofNullable(routes.get(alias));
  }

  /** All aliases, in configuration order. */
  public Collection<ModelRoute> all() {
    return routes.values();
  }
}
