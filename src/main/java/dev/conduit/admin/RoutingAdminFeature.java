package dev.conduit.admin;

import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigLoader;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.route.DeploymentStates;
import dev.conduit.route.HealthChecker;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ProviderHealth;
import dev.conduit.route.RoutingChanges;
import dev.conduit.route.RoutingSync;
import dev.conduit.store.RoutingRepository;
import dev.conduit.store.SecretBox;
import java.util.List;
import java.util.Map;

/** Builds the admin endpoints for providers and model mappings. */
public final class RoutingAdminFeature {
  private RoutingAdminFeature() {}

  /** The provider and model-mapping admin routes, sharing one change path. */
  public static List<AdminRoutes> routes(
      ConduitConfig file,
      ProviderRegistry providers,
      ModelCatalog catalog,
      DeploymentStates states,
      ProviderHealth health,
      HealthChecker checker,
      RoutingSync sync,
      RoutingRepository repository,
      RoutingChanges changes,
      SecretBox secrets) {
    RoutingAdmin admin =
        new RoutingAdmin(
            file,
            repository,
            sync,
            changes,
            secrets,
            new ConfigLoader(Map.of(), ProviderRegistry.configTypes()));
    ProviderViews views = new ProviderViews(catalog, states, health, sync);
    return List.of(
        new ProviderAdminRoutes(providers, admin, views, checker),
        new ModelMappingAdminRoutes(admin));
  }
}
