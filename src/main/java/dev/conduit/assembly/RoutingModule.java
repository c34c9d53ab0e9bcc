package dev.conduit.assembly;

import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigLoader;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.provider.LocalUpstream;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderServices;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.simulated.SimulatedUpstream;
import dev.conduit.route.DeploymentState;
import dev.conduit.route.DeploymentStates;
import dev.conduit.route.HealthChecker;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ProviderHealth;
import dev.conduit.route.ProviderStatuses;
import dev.conduit.route.Router;
import dev.conduit.route.RoutingChanges;
import dev.conduit.route.RoutingSync;
import dev.conduit.store.RoutingRepository;
import dev.conduit.store.SecretBox;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Providers, model aliases and everything that decides where a call goes: circuit breakers,
 * provider health and its checks, the router, and admin changes synced across instances.
 */
final class RoutingModule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoutingModule.class);
  private static final int CREDENTIAL_POOL_SIZE = 4;
  private static final int HEALTH_CHECK_POOL_SIZE = 16;

  /** In-process upstreams (the simulated provider) that every upstream client can reach. */
  final List<LocalUpstream> localUpstreams = List.of(new SimulatedUpstream());

  final ProviderRegistry providers;
  final ModelCatalog catalog;
  final ProviderHealth providerHealth;
  final DeploymentStates deploymentStates;
  final ProviderStatuses statuses;
  final Router router;
  final RoutingRepository repository;
  final SecretBox secrets;
  final RoutingSync sync;
  final HealthChecker checker;
  final RoutingChanges changes;
  private final Schedule schedule;

  RoutingModule(Platform platform, PricingModule pricing) {
    ConduitConfig config = platform.config;
    GatewayMetrics metrics = platform.metrics;
    // Providers' own calls (OAuth2 token fetches) go through an upstream client of their own.
    UpstreamClient credentialClient =
        new UpstreamClient(
            platform.vertx, CREDENTIAL_POOL_SIZE, localUpstreams, (provider, nanos, ok) -> {});
    this.providers =
        ProviderRegistry.build(
            config.providers(),
            new ProviderServices(
                platform.vertx, platform.clock, System.getenv(), credentialClient));
    this.catalog = ModelCatalog.build(config.models(), providers, config.routing().retries());
    this.providerHealth = new ProviderHealth(platform.clock);
    this.deploymentStates =
        new DeploymentStates(
            config.routing().circuitBreaker(),
            platform.clock,
            state ->
                metrics.registerCircuitState(
                    state.provider(), state.id(), state, DeploymentState::circuitStateCode));
    this.statuses = new ProviderStatuses(catalog, deploymentStates, providerHealth);
    Consumer<Set<String>> healthGauges = healthGauges(metrics);
    healthGauges.accept(providerNames());
    this.router = new Router(catalog, deploymentStates, pricing.table.forRouting());
    this.repository = new RoutingRepository(platform.database);
    this.secrets = new SecretBox(config.encryption());
    this.sync =
        new RoutingSync(
            config,
            repository,
            secrets,
            new ConfigLoader(Map.of(), ProviderRegistry.configTypes()),
            providers,
            catalog,
            deploymentStates,
            providerHealth,
            healthGauges);
    try {
      sync.reload();
    } catch (java.sql.SQLException e) {
      log.warn(
          "Could not load admin changes from the database ({}); serving the configuration "
              + "file until it answers",
          e.getMessage());
    }
    this.checker =
        new HealthChecker(
            providers,
            new UpstreamClient(
                platform.vertx, HEALTH_CHECK_POOL_SIZE, localUpstreams, (p, nanos, ok) -> {}),
            providerHealth);
    this.changes =
        new RoutingChanges(platform.vertx, sync, platform.redis, config.routing().changePollMs());

    this.schedule = platform.schedule();
    if (config.routing().healthCheckIntervalMs() > 0) {
      schedule.onLoop(config.routing().healthCheckIntervalMs(), checker::checkAll);
    }
    changes.start();
  }

  /** Keeps one {@code conduit_provider_health} gauge per provider in force. */
  private Consumer<Set<String>> healthGauges(GatewayMetrics metrics) {
    Set<String> gauged = ConcurrentHashMap.newKeySet();
    return names -> {
      for (String name : names) {
        if (gauged.add(name)) {
          metrics.registerProviderHealth(
              name,
              name,
              provider ->
                  providers
                      .find(provider)
                      .map(found -> statuses.status(found).gaugeValue() == 1)
                      .orElse(false));
        }
      }
      for (String name : Set.copyOf(gauged)) {
        if (!names.contains(name)) {
          gauged.remove(name);
          metrics.removeProviderHealth(name);
        }
      }
    };
  }

  private Set<String> providerNames() {
    Set<String> names = new HashSet<>();
    for (Provider provider : providers.all()) {
      names.add(provider.name());
    }
    return names;
  }

  @Override
  public void close() {
    schedule.cancelAll();
    changes.close();
  }
}
