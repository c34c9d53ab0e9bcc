package dev.conduit;

import dev.conduit.admin.AdminApi;
import dev.conduit.admin.AdminRoutes;
import dev.conduit.admin.AdminVerticle;
import dev.conduit.admin.CacheWarmRoutes;
import dev.conduit.admin.IpFilterAdminRoutes;
import dev.conduit.admin.KeyGroupAdminRoutes;
import dev.conduit.admin.MasterKey;
import dev.conduit.admin.ModelCostAdminRoutes;
import dev.conduit.admin.RoutingAdminFeature;
import dev.conduit.admin.UsageAdminRoutes;
import dev.conduit.admin.VirtualKeyAdminRoutes;
import dev.conduit.api.ClientAddress;
import dev.conduit.api.ClientApi;
import dev.conduit.api.ClientApiVerticle;
import dev.conduit.api.anthropic.AnthropicPassthrough;
import dev.conduit.api.openai.OpenAiEmbeddingsCodec;
import dev.conduit.api.openai.OpenAiPassthrough;
import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigLoader;
import dev.conduit.config.Redaction;
import dev.conduit.config.RoutingConfig;
import dev.conduit.config.SpendConfig;
import dev.conduit.core.Tokenizer;
import dev.conduit.core.WireProtocol;
import dev.conduit.keys.Admission;
import dev.conduit.keys.Authenticator;
import dev.conduit.keys.IpFilterService;
import dev.conduit.keys.IpRules;
import dev.conduit.keys.KeyGroupCache;
import dev.conduit.keys.KeyGroupService;
import dev.conduit.keys.PromptTokenEstimator;
import dev.conduit.keys.SpendBook;
import dev.conduit.keys.SpendSeeds;
import dev.conduit.keys.VirtualKeyCache;
import dev.conduit.keys.VirtualKeyRefresher;
import dev.conduit.keys.VirtualKeyService;
import dev.conduit.keys.counters.Counters;
import dev.conduit.keys.counters.LocalCounters;
import dev.conduit.keys.counters.RedisCounters;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.observe.RequestLogWriter;
import dev.conduit.pipeline.CallCodecs;
import dev.conduit.pipeline.CallSettler;
import dev.conduit.pipeline.ProxyPipeline;
import dev.conduit.pipeline.Resilience;
import dev.conduit.pipeline.RetryTimer;
import dev.conduit.pricing.PriceSeed;
import dev.conduit.pricing.PriceService;
import dev.conduit.pricing.PriceTable;
import dev.conduit.provider.LocalUpstream;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderServices;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.simulated.SimulatedUpstream;
import dev.conduit.route.Deployment;
import dev.conduit.route.DeploymentState;
import dev.conduit.route.DeploymentStates;
import dev.conduit.route.HealthChecker;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ProviderHealth;
import dev.conduit.route.ProviderStatuses;
import dev.conduit.route.RetryPolicy;
import dev.conduit.route.Router;
import dev.conduit.route.RoutingChanges;
import dev.conduit.route.RoutingSync;
import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.Database;
import dev.conduit.store.IpFilterRepository;
import dev.conduit.store.KeyGroupRepository;
import dev.conduit.store.ModelCostRepository;
import dev.conduit.store.RequestLogQueries;
import dev.conduit.store.RequestLogRepository;
import dev.conduit.store.RoutingRepository;
import dev.conduit.store.SecretBox;
import dev.conduit.store.SettingsRepository;
import dev.conduit.store.SpendRepository;
import dev.conduit.store.VirtualKey;
import dev.conduit.store.VirtualKeyRepository;
import dev.conduit.web.HealthService;
import dev.conduit.web.OperationsEndpoints;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
  private final SpendBook spendBook;
  private final Counters counters;
  private final List<Long> timers = new ArrayList<>();
  private final RoutingChanges routingChanges;
  private int port;
  private int adminPort;

  private Gateway(ConduitConfig config, Clock clock, PrintStream console, RetryTimer retryTimer)
      throws Exception {
    this.config = config;
    this.clock = clock;
    this.metrics = new GatewayMetrics();
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    this.database = Database.open(config.database(), metrics.registry());

    SettingsRepository settings = new SettingsRepository(database);
    MasterKey masterKey = MasterKey.resolve(config.server().masterKey(), settings, console);

    VirtualKeyRepository keyRepository = new VirtualKeyRepository(database);
    VirtualKeyCache keyCache = new VirtualKeyCache();
    VirtualKeyRefresher refresher = new VirtualKeyRefresher(keyRepository, keyCache);
    refresher.loadAll();
    VirtualKeyService keyService = new VirtualKeyService(keyRepository, keyCache, clock);
    Authenticator authenticator = new Authenticator(keyCache, clock);

    SpendConfig spendConfig = config.spend();
    this.spendBook =
        new SpendBook(
            new SpendRepository(database),
            clock,
            metrics.registry(),
            keyId -> budgetPeriodOf(keyCache.findById(keyId)),
            spendConfig.flushIntervalMs(),
            config.server().shutdownGraceMs());
    KeyGroupCache groupCache = new KeyGroupCache();
    KeyGroupService groupService =
        new KeyGroupService(
            new KeyGroupRepository(database), keyRepository, groupCache, spendBook, clock);
    groupService.reload();
    IpRules ipRules = new IpRules();
    IpFilterService ipFilterService =
        new IpFilterService(new IpFilterRepository(database), ipRules, clock);
    ipFilterService.reload();
    PriceTable priceTable = new PriceTable();
    PriceService priceService =
        new PriceService(new ModelCostRepository(database), settings, priceTable, clock);
    priceService.applySeed(PriceSeed.load());
    priceService.reload();

    List<LocalUpstream> localUpstreams = List.of(new SimulatedUpstream());
    // Providers' own calls (OAuth2 token fetches) go through an upstream client of their own.
    UpstreamClient credentialClient =
        new UpstreamClient(
            vertx, CREDENTIAL_POOL_SIZE, localUpstreams, (provider, nanos, success) -> {});
    ProviderRegistry providers =
        ProviderRegistry.build(
            config.providers(),
            new ProviderServices(vertx, clock, System.getenv(), credentialClient));
    ModelCatalog catalog =
        ModelCatalog.build(config.models(), providers, config.routing().retries());
    ProviderHealth providerHealth = new ProviderHealth(clock);
    DeploymentStates deploymentStates =
        new DeploymentStates(
            config.routing().circuitBreaker(),
            clock,
            state ->
                metrics.registerCircuitState(
                    state.provider(), state.id(), state, DeploymentState::circuitStateCode));
    ProviderStatuses statuses = new ProviderStatuses(catalog, deploymentStates, providerHealth);
    Consumer<Set<String>> healthGauges = healthGauges(providers, statuses);
    healthGauges.accept(providerNames(providers));
    Router router = new Router(catalog, deploymentStates, priceTable.forRouting());
    CallCodecs codecs =
        new CallCodecs(
            Map.of(
                WireProtocol.OPENAI, OpenAiPassthrough::new,
                WireProtocol.ANTHROPIC, AnthropicPassthrough::new),
            Map.of(WireProtocol.OPENAI, OpenAiEmbeddingsCodec::new));
    RoutingRepository routingRepository = new RoutingRepository(database);
    SecretBox secrets = new SecretBox(config.encryption());
    RoutingSync routingSync =
        new RoutingSync(
            config,
            routingRepository,
            secrets,
            new ConfigLoader(Map.of(), ProviderRegistry.typeNames()),
            providers,
            catalog,
            deploymentStates,
            providerHealth,
            healthGauges);
    try {
      routingSync.reload();
    } catch (java.sql.SQLException e) {
      log.warn(
          "Could not load admin changes from the database ({}); serving the configuration "
              + "file until it answers",
          e.getMessage());
    }

    this.requestLog =
        new RequestLogWriter(
            new RequestLogRepository(database),
            config.requestLog().queueCapacity(),
            config.requestLog().batchSize(),
            config.requestLog().lingerMs(),
            config.server().shutdownGraceMs(),
            metrics.registry());
    CallSettler settler = new CallSettler(metrics, requestLog, priceTable);
    this.redis =
        config.redis() == null
            ? null
            : Redis.createClient(
                vertx,
                new RedisOptions()
                    .setConnectionString(config.redis().url())
                    // Every request may send a script: the defaults (6 connections, 24 waiting) are
                    // far too
                    // small for a gateway and would push it to its local fallback under load.
                    .setMaxPoolSize(32)
                    .setMaxPoolWaiting(100_000));
    this.health =
        new HealthService(
            providers,
            keyCache::loadedCount,
            requestLog,
            database.dialect().migrationFolder(),
            redis != null);
    SpendSeeds seeds = new SpendSeeds(vertx, spendBook);
    LocalCounters localCounters = new LocalCounters(seeds);
    this.counters =
        redis == null
            ? localCounters
            : new RedisCounters(
                vertx,
                redis,
                config.redis().keyPrefix(),
                config.redis().timeoutMs(),
                localCounters,
                seeds,
                reason ->
                    health.redisChecked(
                        reason == null
                            ? HealthService.Check.up(0)
                            : HealthService.Check.down(reason)));
    health.countersMode(counters::mode);
    Admission admission =
        new Admission(
            ipRules,
            groupCache,
            priceTable,
            counters,
            spendBook,
            new PromptTokenEstimator(spendConfig.promptTokenMargin()),
            spendConfig,
            metrics,
            clock);
    ClientAddress clientAddress = new ClientAddress(config.server().trustedProxies());
    OperationsEndpoints operations = new OperationsEndpoints(vertx, health, metrics);

    // Counting tokens (when a provider reports none) must never load the tokenizer on an event
    // loop: load it now, off the loops.
    vertx.executeBlocking(
        () -> {
          Tokenizer.preload();
          return null;
        },
        false);
    UpstreamClient.UpstreamTimings timings =
        (provider, nanos, success) -> metrics.recordProviderResponse(provider, nanos);
    long maxBody = config.server().maxBodyBytes();
    RoutingConfig routing = config.routing();
    Resilience resilience =
        new Resilience(
            new RetryPolicy(
                routing.retryBaseDelayMs(),
                routing.retryMaxDelayMs(),
                routing.maxRetryAfterMs(),
                clock),
            retryTimer,
            providerHealth,
            metrics);

    List<LoopClient> loopClients = new CopyOnWriteArrayList<>();
    deployClientApi(
        owner -> {
          UpstreamClient upstream =
              new UpstreamClient(
                  owner, config.server().upstreamPoolSize(), localUpstreams, timings);
          loopClients.add(new LoopClient(Vertx.currentContext(), upstream));
          ProxyPipeline pipeline =
              new ProxyPipeline(router, upstream, codecs, settler, resilience, owner);
          return new ClientApi(
              authenticator,
              catalog,
              pipeline,
              settler,
              operations,
              maxBody,
              clock,
              admission,
              clientAddress,
              owner);
        });
    HealthChecker checker =
        new HealthChecker(
            providers,
            new UpstreamClient(vertx, 16, localUpstreams, (provider, nanos, success) -> {}),
            providerHealth);
    this.routingChanges = new RoutingChanges(vertx, routingSync, redis, routing.changePollMs());
    List<AdminRoutes> adminFeatures = new ArrayList<>();
    adminFeatures.add(new VirtualKeyAdminRoutes(keyService, groupService, spendBook, clock));
    adminFeatures.add(new KeyGroupAdminRoutes(groupService));
    adminFeatures.add(new IpFilterAdminRoutes(ipFilterService));
    adminFeatures.add(new ModelCostAdminRoutes(priceService));
    adminFeatures.add(new UsageAdminRoutes(new RequestLogQueries(database)));
    adminFeatures.addAll(
        RoutingAdminFeature.routes(
            config,
            providers,
            catalog,
            deploymentStates,
            providerHealth,
            checker,
            routingSync,
            routingRepository,
            routingChanges,
            secrets));
    adminFeatures.add(
        new CacheWarmRoutes(
            catalog, deploymentStates, routingSync, deployment -> warm(loopClients, deployment)));
    AdminVerticle admin =
        new AdminVerticle(
            config.server().host(),
            config.server().adminPort(),
            owner -> AdminApi.router(owner, masterKey, operations, adminFeatures));
    await(vertx.deployVerticle(admin));
    this.adminPort = admin.actualPort();

    scheduleBlocking(KEY_REFRESH_MS, refresher::poll);
    scheduleBlocking(
        spendConfig.refreshIntervalMs(),
        () -> refreshQuietly(groupService, ipFilterService, priceService));
    scheduleBlocking(HEALTH_CHECK_MS, this::checkDatabase);
    checkDatabase();
    if (redis != null) {
      timers.add(vertx.setPeriodic(0, HEALTH_CHECK_MS, id -> checkRedis()));
    }
    if (routing.healthCheckIntervalMs() > 0) {
      timers.add(vertx.setPeriodic(0, routing.healthCheckIntervalMs(), id -> checker.checkAll()));
    }
    routingChanges.start();
    health.phase(HealthService.Phase.SERVING);
    log.info(
        "Conduit is serving: client API on {}:{}, admin API on {}:{}, database {}{}",
        config.server().host(),
        port,
        config.server().host(),
        adminPort,
        database.dialect().migrationFolder(),
        redis == null ? "" : ", redis " + Redaction.url(config.redis().url()));
  }

  /** Starts a gateway; blocks until it is listening. */
  public static Gateway start(ConduitConfig config) throws Exception {
    return start(config, Clock.systemUTC(), System.out);
  }

  public static Gateway start(ConduitConfig config, Clock clock, PrintStream console)
      throws Exception {
    return new Gateway(config, clock, console, RetryTimer.VERTX);
  }

  /** With {@code retryTimer} waiting out retry backoffs (tests record them instead). */
  public static Gateway start(
      ConduitConfig config, Clock clock, PrintStream console, RetryTimer retryTimer)
      throws Exception {
    return new Gateway(config, clock, console, retryTimer);
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
      java.util.function.Function<
              Vertx, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest>>
          handlerFactory)
      throws Exception {
    // One event loop per core, as nginx's "worker_processes auto": the proxy path never blocks,
    // and more loops than cores only add thread switches (bench/results, eventLoops variants).
    int instances =
        config.server().eventLoops() > 0
            ? config.server().eventLoops()
            : Runtime.getRuntime().availableProcessors();
    String host = config.server().host();
    long grace = config.server().shutdownGraceMs();
    // Vert.x shares one port among instances only when they all name it: resolve "0" first.
    int listenPort = config.server().port() == 0 ? freePort(host) : config.server().port();
    await(
        vertx.deployVerticle(
            () -> new ClientApiVerticle(host, listenPort, grace, handlerFactory),
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
    timers.add(
        vertx.setPeriodic(
            periodMs,
            id ->
                vertx.executeBlocking(
                    () -> {
                      task.run();
                      return null;
                    },
                    false)));
  }

  private static BudgetPeriod budgetPeriodOf(VirtualKey key) {
    return key != null && key.limits().hasBudget()
        ? key.limits().budgetPeriod()
        : BudgetPeriod.TOTAL;
  }

  /** Picks up key group, IP filter and price changes made through other instances. */
  private static void refreshQuietly(
      KeyGroupService groups, IpFilterService filters, PriceService prices) {
    try {
      groups.refreshIfChanged();
      filters.refreshIfChanged();
      prices.refreshIfChanged();
    } catch (java.sql.SQLException | RuntimeException e) {
      log.debug(
          "Refreshing groups, IP filters and prices failed (kept in memory): {}", e.getMessage());
    }
  }

  private void checkDatabase() {
    long start = System.nanoTime();
    try {
      database.ping();
      health.databaseChecked(
          HealthService.Check.up(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    } catch (Exception e) {
      health.databaseChecked(HealthService.Check.down(e.getMessage()));
    }
  }

  private void checkRedis() {
    long start = System.nanoTime();
    redis
        .send(Request.cmd(Command.PING))
        .onComplete(
            result -> {
              if (result.succeeded()) {
                health.redisChecked(
                    HealthService.Check.up(
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
    routingChanges.close();
    try {
      await(vertx.close());
    } catch (Exception e) {
      log.warn("Stopping the listeners failed: {}", e.getMessage());
    }
    counters.close();
    spendBook.close();
    requestLog.close();
    database.close();
    metrics.close();
    log.info("Conduit stopped");
  }

  /** A client API event loop and its upstream client, for warming connections on each loop. */
  private record LoopClient(Context context, UpstreamClient client) {}

  /** Opens connections to a deployment's upstream from every event loop. */
  private static Optional<Future<Void>> warm(List<LoopClient> loopClients, Deployment deployment) {
    Optional<String> url =
        deployment
            .provider()
            .regionalEndpoint(deployment.region())
            .or(() -> deployment.provider().adapter().warmUrl());
    if (url.isEmpty()) {
      return Optional.empty();
    }
    List<Future<Void>> warming = new ArrayList<>();
    for (LoopClient loop : loopClients) {
      Promise<Void> done = Promise.promise();
      loop.context().runOnContext(v -> loop.client().warm(url.get()).onComplete(done));
      warming.add(done.future());
    }
    return Optional.of(Future.all(warming).mapEmpty());
  }

  /** Keeps one {@code conduit_provider_health} gauge per provider in force. */
  private Consumer<Set<String>> healthGauges(
      ProviderRegistry providers, ProviderStatuses statuses) {
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

  private static Set<String> providerNames(ProviderRegistry providers) {
    Set<String> names = new java.util.HashSet<>();
    providers.all().forEach(provider -> names.add(provider.name()));
    return names;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
