package dev.conduit.assembly;

import dev.conduit.config.ConduitConfig;
import dev.conduit.observe.RequestLogWriter;
import dev.conduit.store.RequestLogRepository;
import dev.conduit.web.HealthService;
import dev.conduit.web.OperationsEndpoints;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;

/**
 * The request log writer and the gateway's own health: database and Redis pings, readiness and the
 * {@code /health} and {@code /metrics} endpoints both listeners serve.
 */
final class ObservabilityModule implements AutoCloseable {
  private static final long HEALTH_CHECK_MS = 5_000;

  final RequestLogWriter requestLog;
  final HealthService health;
  final OperationsEndpoints operations;
  private final Platform platform;
  private final Schedule schedule;

  ObservabilityModule(Platform platform, KeysModule keys, RoutingModule routing) {
    this.platform = platform;
    ConduitConfig config = platform.config;
    this.requestLog =
        new RequestLogWriter(
            new RequestLogRepository(platform.database),
            config.requestLog().writersFor(config.database()),
            config.requestLog().queueCapacity(),
            config.requestLog().batchSize(),
            config.requestLog().lingerMs(),
            config.drain().timeoutMs(),
            platform.metrics.registry());
    this.health =
        new HealthService(
            routing.providers,
            keys.keyCache::loadedCount,
            requestLog,
            platform.database.dialect().migrationFolder(),
            platform.redis == null ? null : config.redis().resolvedMode().configName(),
            config.database().logWriterStallMs());
    this.operations = new OperationsEndpoints(platform.vertx, health, platform.metrics);

    this.schedule = platform.schedule();
    schedule.blocking(HEALTH_CHECK_MS, this::checkDatabase);
    checkDatabase();
    if (platform.redis != null) {
      schedule.onLoop(HEALTH_CHECK_MS, this::checkRedis);
    }
  }

  void serving() {
    health.phase(HealthService.Phase.SERVING);
  }

  void draining() {
    health.phase(HealthService.Phase.DRAINING);
  }

  private void checkDatabase() {
    long start = System.nanoTime();
    try {
      platform.database.ping();
      health.databaseChecked(HealthService.Check.up(millisSince(start)));
    } catch (Exception e) {
      health.databaseChecked(HealthService.Check.down(e.getMessage()));
    }
  }

  /**
   * A PING through the client: it reaches the server, the master Sentinel names, or (on a cluster)
   * some node. On a cluster the node is also asked {@code CLUSTER INFO}: a cluster that is not
   * {@code cluster_state:ok} (a slot without a master) cannot serve every key.
   */
  private void checkRedis() {
    long start = System.nanoTime();
    boolean cluster = platform.config.redis().cluster();
    Request probe = cluster ? Request.cmd(Command.CLUSTER).arg("INFO") : Request.cmd(Command.PING);
    // Bounded: a frozen Redis (SIGSTOP, a black-holed network) never answers at all.
    platform
        .redis
        .send(probe)
        .timeout(platform.config.redis().timeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(
            result -> {
              if (result.failed()) {
                health.redisChecked(HealthService.Check.down(result.cause().getMessage()));
              } else if (cluster && !result.result().toString().contains("cluster_state:ok")) {
                health.redisChecked(
                    HealthService.Check.down("the cluster is not cluster_state:ok"));
              } else {
                health.redisChecked(HealthService.Check.up(millisSince(start)));
              }
            });
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Override
  public void close() {
    schedule.cancelAll();
    requestLog.close();
  }
}
