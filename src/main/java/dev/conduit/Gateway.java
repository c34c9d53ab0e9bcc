package dev.conduit;

import dev.conduit.admin.AdminApi;
import dev.conduit.admin.AdminRoutes;
import dev.conduit.admin.AdminVerticle;
import dev.conduit.admin.MasterKey;
import dev.conduit.admin.VirtualKeyAdminRoutes;
import dev.conduit.api.ClientApi;
import dev.conduit.api.ClientApiVerticle;
import dev.conduit.api.OperationsEndpoints;
import dev.conduit.config.ConduitConfig;
import dev.conduit.config.Redaction;
import dev.conduit.keys.Authenticator;
import dev.conduit.keys.VirtualKeyCache;
import dev.conduit.keys.VirtualKeyRefresher;
import dev.conduit.keys.VirtualKeyService;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.observe.HealthService;
import dev.conduit.observe.RequestLogWriter;
import dev.conduit.pipeline.CallCodecs;
import dev.conduit.pipeline.CallSettler;
import dev.conduit.pipeline.ProxyPipeline;
import dev.conduit.pipeline.TokenCounter;
import dev.conduit.provider.LocalUpstream;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderServices;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.simulated.SimulatedUpstream;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.Router;
import dev.conduit.store.Database;
import dev.conduit.store.RequestLogRepository;
import dev.conduit.store.SettingsRepository;
import dev.conduit.store.VirtualKeyRepository;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: everything wired by hand, in start order. {@link #start} returns once both
 * listeners accept connections; {@link #close} drains and stops.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final long KEY_REFRESH_MS = 500;
  private static final long HEALTH_CHECK_MS = 5_000;
  private static final int CREDENTIAL_POOL_SIZE = 4;

  private final ConduitConfig config;
  private final Clock clock;
  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final Database database;
  private final RequestLogWriter requestLog;
  private final HealthService health;
  private final Redis redis;
  private final List<Long> timers = new ArrayList<>();
  private int port;
  private int adminPort;

  private Gateway(ConduitConfig config, Clock clock, PrintStream console) throws Exception {
    this.config = config;
    this.clock = clock;
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    // First: a provider whose type-specific settings are wrong stops the start before anything
    // else is opened. Providers' own calls (OAuth2 token fetches) have an upstream client of
    // their own.
    List<LocalUpstream> localUpstreams = List.of(new SimulatedUpstream());
    ProviderRegistry providers;
    try {
      UpstreamClient credentialClient = new UpstreamClient(vertx, CREDENTIAL_POOL_SIZE,
          localUpstreams, (provider, nanos, success) -> { });
      providers = ProviderRegistry.build(config.providers(),
          new ProviderServices(vertx, clock, System.getenv(), credentialClient));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    this.metrics = new GatewayMetrics();
    this.database = Database.open(config.database(), metrics.registry());

    SettingsRepository settings = new SettingsRepository(database);
    MasterKey masterKey = MasterKey.resolve(config.server().masterKey(), settings, console);

    VirtualKeyRepository keyRepository = new VirtualKeyRepository(database);
    VirtualKeyCache keyCache = new VirtualKeyCache();
    VirtualKeyRefresher refresher = new VirtualKeyRefresher(keyRepository, keyCache);
    refresher.loadAll();
    VirtualKeyService keyService = new VirtualKeyService(keyRepository, keyCache, clock);
    Authenticator authenticator = new Authenticator(keyCache, clock);

    for (Provider provider : providers.all()) {
      metrics.registerProviderHealth(provider.name(), provider, Provider::isAvailable);
    }
    ModelCatalog catalog = ModelCatalog.build(config.models(), providers);
    Router router = new Router();
    CallCodecs codecs = new CallCodecs();

    this.requestLog = new RequestLogWriter(new RequestLogRepository(database),
        config.requestLog().queueCapacity(), config.requestLog().batchSize(),
        config.server().shutdownGraceMs(), metrics.registry());
    CallSettler settler = new CallSettler(metrics, requestLog);
    this.redis = config.redis() == null ? null : Redis.createClient(vertx, config.redis().url());
    this.health = new HealthService(providers, keyCache, requestLog,
        database.dialect().migrationFolder(), redis != null);
    OperationsEndpoints operations = new OperationsEndpoints(vertx, health, metrics);

    // Counting tokens (when a provider reports none) must never load the tokenizer on an event
    // loop: load it now, off the loops.
    vertx.executeBlocking(() -> {
      TokenCounter.preload();
      return null;
    }, false);
    UpstreamClient.UpstreamTimings timings =
        (provider, nanos, success) -> metrics.recordProviderResponse(provider, nanos);
    long maxBody = config.server().maxBodyBytes();

    deployClientApi(owner -> {
      UpstreamClient upstream = new UpstreamClient(owner, config.server().upstreamPoolSize(),
          localUpstreams, timings);
      ProxyPipeline pipeline = new ProxyPipeline(router, upstream, codecs, settler);
      return new ClientApi(authenticator, catalog, pipeline, settler, operations, maxBody, clock);
    });
    List<AdminRoutes> adminFeatures = List.of(new VirtualKeyAdminRoutes(keyService, clock));
    AdminVerticle admin = new AdminVerticle(config.server().host(), config.server().adminPort(),
        owner -> AdminApi.router(owner, masterKey, operations, adminFeatures));
    await(vertx.deployVerticle(admin));
    this.adminPort = admin.actualPort();

    scheduleBlocking(KEY_REFRESH_MS, refresher::poll);
    scheduleBlocking(HEALTH_CHECK_MS, this::checkDatabase);
    checkDatabase();
    if (redis != null) {
      timers.add(vertx.setPeriodic(0, HEALTH_CHECK_MS, id -> checkRedis()));
    }
    health.phase(HealthService.Phase.SERVING);
    log.info("Conduit is serving: client API on {}:{}, admin API on {}:{}, database {}{}",
        config.server().host(), port, config.server().host(), adminPort,
        database.dialect().migrationFolder(),
        redis == null ? "" : ", redis " + Redaction.url(config.redis().url()));
  }

  /** Starts a gateway; blocks until it is listening. */
  public static Gateway start(ConduitConfig config) throws Exception {
    return start(config, Clock.systemUTC(), System.out);
  }

  public static Gateway start(ConduitConfig config, Clock clock, PrintStream console)
      throws Exception {
    return new Gateway(config, clock, console);
  }

  /** The client API's port (the actual one when configured as 0). */
  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  public ConduitConfig config() {
    return config;
  }

  private void deployClientApi(
      java.util.function.Function<Vertx, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest>>
          handlerFactory) throws Exception {
    int instances = config.server().eventLoops() > 0
        ? config.server().eventLoops()
        : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    String host = config.server().host();
    long grace = config.server().shutdownGraceMs();
    // Vert.x shares one port among instances only when they all name it: resolve "0" first.
    int listenPort = config.server().port() == 0 ? freePort(host) : config.server().port();
    await(vertx.deployVerticle(() -> new ClientApiVerticle(host, listenPort, grace, handlerFactory),
        new DeploymentOptions().setInstances(instances)));
    this.port = listenPort;
  }

  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  private void scheduleBlocking(long periodMs, Runnable task) {
    timers.add(vertx.setPeriodic(periodMs, id ->
        vertx.executeBlocking(() -> {
          task.run();
          return null;
        }, false)));
  }

  private void checkDatabase() {
    long start = System.nanoTime();
    try {
      database.ping();
      health.databaseChecked(HealthService.Check.up(
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    } catch (Exception e) {
      health.databaseChecked(HealthService.Check.down(e.getMessage()));
    }
  }

  private void checkRedis() {
    long start = System.nanoTime();
    redis.send(Request.cmd(Command.PING)).onComplete(result -> {
      if (result.succeeded()) {
        health.redisChecked(HealthService.Check.up(
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
      } else {
        health.redisChecked(HealthService.Check.down(result.cause().getMessage()));
      }
    });
  }

  /** Drains in-flight requests, writes queued log rows, and releases everything. */
  @Override
  public void close() {
    health.phase(HealthService.Phase.DRAINING);
    timers.forEach(vertx::cancelTimer);
    try {
      await(vertx.close());
    } catch (Exception e) {
      log.warn("Stopping the listeners failed: {}", e.getMessage());
    }
    requestLog.close();
    database.close();
    metrics.close();
    log.info("Conduit stopped");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
