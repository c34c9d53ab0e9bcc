package dev.conduit.config;

import java.util.List;

/**
 * The whole gateway configuration, as loaded from YAML plus environment overrides.
 *
 * <p>Records here are plain data; {@link ConfigLoader} fills defaults and {@link ConfigValidator}
 * checks cross references, so code that receives a config can trust it.
 */
public record ConduitConfig(
    ServerConfig server,
    DatabaseConfig database,
    RedisConfig redis,
    LogConfig requestLog,
    List<ProviderConfig> providers,
    List<ModelConfig> models,
    RoutingConfig routing,
    EncryptionConfig encryption,
    SpendConfig spend,
    CacheConfig cache,
    DrainConfig drain) {

  public ConduitConfig {
    server = server == null ? ServerConfig.defaults() : server;
    database = database == null ? DatabaseConfig.defaults() : database;
    requestLog = requestLog == null ? LogConfig.defaults() : requestLog;
    providers = providers == null ? List.of() : List.copyOf(providers);
    models = models == null ? List.of() : List.copyOf(models);
    routing = routing == null ? RoutingConfig.defaults() : routing;
    encryption = encryption == null ? EncryptionConfig.defaults() : encryption;
    spend = spend == null ? SpendConfig.defaults() : spend;
    cache = cache == null ? CacheConfig.defaults() : cache;
    // server.shutdownGraceMs, the older name of drain.timeoutMs, still counts without a drain
    // block.
    drain =
        drain != null
            ? drain
            : server.shutdownGraceMs() != null
                ? new DrainConfig(null, server.shutdownGraceMs())
                : DrainConfig.defaults();
  }

  public ConduitConfig withServer(ServerConfig newServer) {
    return new ConduitConfig(
        newServer,
        database,
        redis,
        requestLog,
        providers,
        models,
        routing,
        encryption,
        spend,
        cache,
        drain);
  }

  public ConduitConfig withDatabase(DatabaseConfig newDatabase) {
    return new ConduitConfig(
        server,
        newDatabase,
        redis,
        requestLog,
        providers,
        models,
        routing,
        encryption,
        spend,
        cache,
        drain);
  }

  public ConduitConfig withRedis(RedisConfig newRedis) {
    return new ConduitConfig(
        server,
        database,
        newRedis,
        requestLog,
        providers,
        models,
        routing,
        encryption,
        spend,
        cache,
        drain);
  }

  public ConduitConfig withProviders(List<ProviderConfig> newProviders) {
    return new ConduitConfig(
        server,
        database,
        redis,
        requestLog,
        newProviders,
        models,
        routing,
        encryption,
        spend,
        cache,
        drain);
  }

  public ConduitConfig withModels(List<ModelConfig> newModels) {
    return new ConduitConfig(
        server,
        database,
        redis,
        requestLog,
        providers,
        newModels,
        routing,
        encryption,
        spend,
        cache,
        drain);
  }

  public ConduitConfig withEncryption(EncryptionConfig newEncryption) {
    return new ConduitConfig(
        server,
        database,
        redis,
        requestLog,
        providers,
        models,
        routing,
        newEncryption,
        spend,
        cache,
        drain);
  }
}
