package dev.conduit.assembly;

import dev.conduit.config.ConduitConfig;
import dev.conduit.config.RedisConfig;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.store.Database;
import dev.conduit.store.SettingsRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every module stands on: the configuration, the clock, Vert.x, metrics, the database and
 * (when configured) the Redis client. Opened first and closed last.
 */
final class Platform implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Platform.class);
  // Every request may send a script: Vert.x's defaults (6 connections, 24 waiting) are far too
  // small for a gateway and would push it to its local fallback under load.
  private static final int REDIS_POOL_SIZE = 32;
  private static final int REDIS_POOL_WAITING = 100_000;

  final ConduitConfig config;
  final Clock clock;
  final Vertx vertx;
  final GatewayMetrics metrics;
  final Database database;
  final SettingsRepository settings;

  /** Null when no {@code redis:} section is configured (counters are then local). */
  final Redis redis;

  private Platform(ConduitConfig config, Clock clock) throws Exception {
    this.config = config;
    this.clock = clock;
    this.metrics = new GatewayMetrics();
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    this.database = Database.open(config.database(), metrics.registry());
    this.settings = new SettingsRepository(database);
    this.redis = config.redis() == null ? null : redisClient(vertx, config.redis());
  }

  private static Redis redisClient(Vertx vertx, RedisConfig redis) {
    Redis client = Redis.createClient(vertx, redisOptions(redis));
    // A cluster command takes a connection to every node: see BoundedRedis. The pub/sub
    // subscriber keeps one to each node for good, hence the margin.
    return redis.cluster() ? new BoundedRedis(client, REDIS_POOL_SIZE - 2) : client;
  }

  /**
   * The client's options for the configured mode: one server; a cluster discovered from any of the
   * given nodes (commands go to the master of their key's slot, never to replicas, since counters
   * must read what was just written); or the master the sentinels name, followed across failovers.
   */
  static RedisOptions redisOptions(RedisConfig redis) {
    RedisOptions options =
        new RedisOptions().setMaxPoolSize(REDIS_POOL_SIZE).setMaxPoolWaiting(REDIS_POOL_WAITING);
    switch (redis.resolvedMode()) {
      case STANDALONE -> options.setType(RedisClientType.STANDALONE);
      case CLUSTER -> options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
      case SENTINEL ->
          options
              .setType(RedisClientType.SENTINEL)
              .setMasterName(redis.masterName())
              .setRole(RedisRole.MASTER)
              .setAutoFailover(true);
    }
    redis.nodes().forEach(options::addConnectionString);
    return options;
  }

  static Platform open(ConduitConfig config, Clock clock) throws Exception {
    return new Platform(config, clock);
  }

  Schedule schedule() {
    return new Schedule(vertx);
  }

  @Override
  public void close() {
    try {
      await(vertx.close());
    } catch (Exception e) {
      log.warn("Stopping Vert.x failed: {}", e.getMessage());
    }
    database.close();
    metrics.close();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
