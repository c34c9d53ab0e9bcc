package dev.conduit.assembly;

import dev.conduit.admin.AdminApi;
import dev.conduit.admin.AdminRoutes;
import dev.conduit.admin.AdminVerticle;
import dev.conduit.admin.CacheAdminRoutes;
import dev.conduit.admin.CacheWarmRoutes;
import dev.conduit.admin.ConsoleRoutes;
import dev.conduit.admin.IpFilterAdminRoutes;
import dev.conduit.admin.KeyGroupAdminRoutes;
import dev.conduit.admin.MasterKey;
import dev.conduit.admin.ModelCostAdminRoutes;
import dev.conduit.admin.RecentStatsRoutes;
import dev.conduit.admin.RoutingAdminFeature;
import dev.conduit.admin.UsageAdminRoutes;
import dev.conduit.admin.VirtualKeyAdminRoutes;
import dev.conduit.observe.ListenerMeters;
import dev.conduit.store.RequestLogQueries;
import dev.conduit.store.RequestLogStats;
import dev.conduit.web.ConnectionGuard;
import dev.conduit.web.ListenerLimits;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin listener and its features, behind the master key. */
final class AdminModule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminModule.class);

  /** The listening port (the actual one when configured as 0). */
  final int port;

  private final Platform platform;
  private final String deploymentId;

  AdminModule(
      Platform platform,
      PrintStream console,
      KeysModule keys,
      PricingModule pricing,
      RoutingModule routing,
      ObservabilityModule observe,
      ClientApiModule clientApi,
      CacheModule cache)
      throws Exception {
    this.platform = platform;
    MasterKey masterKey =
        MasterKey.resolve(platform.config.server().masterKey(), platform.settings, console);
    List<AdminRoutes> features = new ArrayList<>();
    features.add(
        new VirtualKeyAdminRoutes(
            keys.keyService, keys.groupService, keys.spendBook, platform.clock));
    features.add(new KeyGroupAdminRoutes(keys.groupService));
    features.add(new IpFilterAdminRoutes(keys.ipFilterService));
    features.add(new ModelCostAdminRoutes(pricing.service));
    features.add(new UsageAdminRoutes(new RequestLogQueries(platform.database)));
    features.addAll(
        RoutingAdminFeature.routes(
            platform.config,
            routing.providers,
            routing.catalog,
            routing.deploymentStates,
            routing.providerHealth,
            routing.checker,
            routing.sync,
            routing.repository,
            routing.changes,
            routing.secrets));
    features.add(
        new CacheWarmRoutes(
            routing.catalog, routing.deploymentStates, routing.sync, clientApi::warm, cache.cache));
    features.add(new CacheAdminRoutes(cache.cache));
    features.add(
        new RecentStatsRoutes(
            new RequestLogStats(platform.database),
            platform.clock,
            clientApi.callsInFlight::count));
    features.add(ConsoleRoutes.load());
    AdminVerticle verticle =
        new AdminVerticle(
            platform.config.server().host(),
            platform.config.server().adminPort(),
            new ConnectionGuard(
                ListenerLimits.admin(platform.config.server()),
                new ListenerMeters(platform.metrics.registry(), "admin")),
            owner -> AdminApi.router(owner, masterKey, observe.operations, features));
    this.deploymentId = Platform.await(platform.vertx.deployVerticle(verticle));
    this.port = verticle.actualPort();
  }

  @Override
  public void close() {
    try {
      Platform.await(platform.vertx.undeploy(deploymentId));
    } catch (Exception e) {
      log.warn("Stopping the admin API failed: {}", e.getMessage());
    }
  }
}
