package dev.conduit.config;

import dev.conduit.core.Cidr;
import dev.conduit.core.TextRules;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Checks values and cross references that binding alone cannot. */
final class ConfigValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final String source;
  private final Map<String, Set<String>> providerTypes;

  ConfigValidator(String source, Map<String, Set<String>> providerTypes) {
    this.source = source;
    this.providerTypes = providerTypes;
  }

  void validate(ConduitConfig config) {
    validateServer(config.server());
    validateDrain(config);
    validateDatabase(config.database());
    if (config.redis() != null) {
      new RedisConfigValidator(source).validate(config.redis());
    }
    validateSpend(config.spend());
    validateCache(config);
    if (config.requestLog().queueCapacity() < 1) {
      fail("requestLog.queueCapacity", "must be at least 1");
    }
    if (config.requestLog().batchSize() < 1) {
      fail("requestLog.batchSize", "must be at least 1");
    }
    if (config.requestLog().lingerMs() < 0) {
      fail("requestLog.lingerMs", "must be 0 or more milliseconds");
    }
    Integer writers = config.requestLog().writers();
    if (writers != null && writers < 1) {
      fail("requestLog.writers", "must be at least 1");
    }
    if (writers != null && writers > 1 && config.database().isSqlite()) {
      fail("requestLog.writers", "must be 1 on SQLite, which writes one transaction at a time");
    }
    if (writers != null && writers >= config.database().poolSize()) {
      fail(
          "requestLog.writers",
          "must be fewer than database.poolSize ("
              + config.database().poolSize()
              + "): each writer holds a connection while it writes");
    }
    Set<String> providerNames = validateProviders(config);
    validateModels(config, providerNames);
    validateRouting(config.routing());
  }

  private void validateRouting(RoutingConfig routing) {
    if (routing.retries() < 0) {
      fail("routing.retries", "must be 0 or more");
    }
    checkPositive("routing.retryBaseDelayMs", routing.retryBaseDelayMs());
    checkPositive("routing.retryMaxDelayMs", routing.retryMaxDelayMs());
    checkPositive("routing.maxRetryAfterMs", routing.maxRetryAfterMs());
    checkPositive("routing.changePollMs", routing.changePollMs());
    checkPositive("routing.deadlineMs", routing.deadlineMs());
    if (routing.healthCheckIntervalMs() < 0) {
      fail("routing.healthCheckIntervalMs", "must be 0 (off) or a positive number of ms");
    }
    RoutingConfig.CircuitBreakerSettings breaker = routing.circuitBreaker();
    if (breaker.failureRatePercent() < 1 || breaker.failureRatePercent() > 100) {
      fail("routing.circuitBreaker.failureRatePercent", "must be between 1 and 100");
    }
    if (breaker.slidingWindow() < 1) {
      fail("routing.circuitBreaker.slidingWindow", "must be at least 1");
    }
    if (breaker.minimumCalls() < 1) {
      fail("routing.circuitBreaker.minimumCalls", "must be at least 1");
    }
    checkPositive("routing.circuitBreaker.openMs", breaker.openMs());
    if (breaker.halfOpenCalls() < 1) {
      fail("routing.circuitBreaker.halfOpenCalls", "must be at least 1");
    }
  }

  private void validateDrain(ConduitConfig config) {
    if (config.drain().delayMs() < 0) {
      fail("drain.delayMs", "must be 0 or more milliseconds");
    }
    checkPositive("drain.timeoutMs", config.drain().timeoutMs());
    Long oldName = config.server().shutdownGraceMs();
    if (oldName != null && !oldName.equals(config.drain().timeoutMs())) {
      fail(
          "server.shutdownGraceMs",
          "is the older name of drain.timeoutMs; set only drain.timeoutMs");
    }
  }

  private void validateServer(ServerConfig server) {
    checkPort("server.port", server.port());
    checkPort("server.adminPort", server.adminPort());
    if (server.port() != 0 && server.port().equals(server.adminPort())) {
      fail("server.adminPort", "must differ from server.port");
    }
    if (server.maxBodyBytes() < 1) {
      fail("server.maxBodyBytes", "must be positive");
    }
    if (server.maxBodyBytesInFlight() < server.maxBodyBytes()) {
      fail(
          "server.maxBodyBytesInFlight",
          "must be at least server.maxBodyBytes ("
              + server.maxBodyBytes()
              + "), or a body of the allowed size could never be read");
    }
    if (server.eventLoops() < 0) {
      fail("server.eventLoops", "must be 0 (one per core) or more");
    }
    if (server.upstreamPoolSize() < 1) {
      fail("server.upstreamPoolSize", "must be at least 1");
    }
    checkPositive("server.headersTimeoutMs", server.headersTimeoutMs());
    checkPositive("server.bodyTimeoutMs", server.bodyTimeoutMs());
    checkPositive("server.keepAliveTimeoutMs", server.keepAliveTimeoutMs());
    if (server.maxConnections() < 1) {
      fail("server.maxConnections", "must be at least 1");
    }
    if (server.adminMaxConnections() < 1) {
      fail("server.adminMaxConnections", "must be at least 1");
    }
    for (int i = 0; i < server.trustedProxies().size(); i++) {
      if (Cidr.parse(server.trustedProxies().get(i)).isEmpty()) {
        fail(
            "server.trustedProxies[" + i + "]",
            "expected an IPv4 or IPv6 address or CIDR "
                + "block, got '"
                + server.trustedProxies().get(i)
                + "'");
      }
    }
  }

  private void validateSpend(SpendConfig spend) {
    checkPositive("spend.flushIntervalMs", spend.flushIntervalMs());
    checkPositive("spend.reservationTtlMs", spend.reservationTtlMs());
    checkPositive("spend.refreshIntervalMs", spend.refreshIntervalMs());
    if (spend.defaultMaxOutputTokens() < 1) {
      fail("spend.defaultMaxOutputTokens", "must be at least 1");
    }
    if (!(spend.promptTokenMargin() >= 1.0 && spend.promptTokenMargin() <= 10.0)) {
      fail("spend.promptTokenMargin", "must be between 1.0 and 10.0");
    }
  }

  private void validateCache(ConduitConfig config) {
    CacheConfig cache = config.cache();
    checkPositive("cache.ttlSeconds", cache.ttlSeconds());
    checkPositive("cache.maxBytes", cache.maxBytes());
    checkPositive("cache.maxEntryBytes", cache.maxEntryBytes());
    checkPositive("cache.redisLookupMs", cache.redisLookupMs());
    if (cache.minUses() != 1 && cache.minUses() != 2) {
      fail("cache.minUses", "must be 1 or 2, got " + cache.minUses());
    }
    if (cache.tiers().isEmpty()) {
      fail("cache.tiers", "name at least one tier: memory, redis");
    }
    Set<String> tiers = new HashSet<>();
    for (int i = 0; i < cache.tiers().size(); i++) {
      String tier = cache.tiers().get(i);
      if (!CacheConfig.TIERS.contains(tier)) {
        fail("cache.tiers[" + i + "]", "expected memory or redis, got '" + tier + "'");
      }
      if (!tiers.add(tier)) {
        fail("cache.tiers[" + i + "]", "duplicate tier '" + tier + "'");
      }
    }
    if (cache.usesRedis() && config.redis() == null) {
      fail("cache.tiers", "the redis tier needs a redis: section (or CONDUIT_REDIS_URL)");
    }
    if (!CacheConfig.SCOPES.contains(cache.scope())) {
      fail("cache.scope", "expected key, group or global, got '" + cache.scope() + "'");
    }
    cache
        .models()
        .forEach(
            (alias, override) -> {
              if (override == null) {
                fail("cache.models." + alias, "expected a mapping of enabled and ttlSeconds");
              }
              if (override.ttlSeconds() != null) {
                checkPositive("cache.models." + alias + ".ttlSeconds", override.ttlSeconds());
              }
            });
  }

  private void validateDatabase(DatabaseConfig database) {
    if (!database.isSqlite() && !database.isPostgres()) {
      fail(
          "database.url",
          "expected a jdbc:sqlite: or jdbc:postgresql: URL, got '" + database.url() + "'");
    }
    positive("database.connectTimeoutMs", database.connectTimeoutMs());
    positive("database.socketTimeoutMs", database.socketTimeoutMs());
    positive("database.poolTimeoutMs", database.poolTimeoutMs());
    // HikariCP refuses validation timeouts under 250 ms.
    if (database.validationTimeoutMs() < 250) {
      fail("database.validationTimeoutMs", "must be at least 250");
    }
    positive("database.logWriterStallMs", database.logWriterStallMs());
    if (database.poolSize() < 1) {
      fail("database.poolSize", "must be at least 1");
    }
  }

  private Set<String> validateProviders(ConduitConfig config) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < config.providers().size(); i++) {
      ProviderConfig provider = config.providers().get(i);
      String path = "providers[" + i + "]";
      if (provider.name() == null
          || !NAME.matcher(provider.name()).matches()
          || provider.name().length() > TextRules.MAX_NAME) {
        fail(path + ".name", "required: 1 to 128 letters, digits, '.', '_' or '-'");
      }
      if (!names.add(provider.name())) {
        fail(path + ".name", "duplicate provider name '" + provider.name() + "'");
      }
      if (provider.type() == null || !providerTypes.containsKey(provider.type())) {
        fail(
            path + ".type",
            "unknown provider type '"
                + provider.type()
                + "' (known: "
                + String.join(", ", new TreeSet<>(providerTypes.keySet()))
                + ")");
      }
      checkTypeSettings(path, provider);
      if (provider.baseUrl() != null) {
        checkHttpUrl(path + ".baseUrl", provider.baseUrl());
      }
      checkTimeouts(path + ".timeouts", provider.timeouts());
      provider
          .regionalEndpoints()
          .forEach((region, url) -> checkHttpUrl(path + ".regionalEndpoints." + region, url));
      if (provider.region() != null && provider.region().isBlank()) {
        fail(path + ".region", "must not be empty");
      }
      if (provider.apiVersion() != null && provider.apiVersion().isBlank()) {
        fail(path + ".apiVersion", "must not be blank");
      }
      if (provider.defaultMaxTokens() != null && provider.defaultMaxTokens() < 1) {
        fail(path + ".defaultMaxTokens", "must be at least 1");
      }
    }
    return names;
  }

  /** A key beside the common ones must be one of the provider type's own. */
  private void checkTypeSettings(String path, ProviderConfig provider) {
    Set<String> own = providerTypes.get(provider.type());
    for (String key : provider.settings().keySet()) {
      if (!own.contains(key)) {
        Set<String> known = new TreeSet<>(ProviderConfig.COMMON_KEYS);
        known.addAll(own);
        fail(
            path + "." + key,
            "unknown key for provider type '"
                + provider.type()
                + "' (known keys here: "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  private void validateModels(ConduitConfig config, Set<String> providerNames) {
    Set<String> aliases = new HashSet<>();
    for (int i = 0; i < config.models().size(); i++) {
      ModelConfig model = config.models().get(i);
      String path = "models[" + i + "]";
      if (model.alias() == null || model.alias().isBlank()) {
        fail(path + ".alias", "required");
      }
      if (model.alias().length() > TextRules.MAX_NAME) {
        fail(path + ".alias", "must be at most " + TextRules.MAX_NAME + " characters");
      }
      if (!aliases.add(model.alias())) {
        fail(path + ".alias", "duplicate alias '" + model.alias() + "'");
      }
      if (model.deployments().isEmpty()) {
        fail(path + ".deployments", "at least one deployment is required");
      }
      if (!ModelConfig.STRATEGIES.contains(model.strategy())) {
        fail(
            path + ".strategy",
            "unknown strategy '"
                + model.strategy()
                + "' (known: "
                + String.join(", ", ModelConfig.STRATEGIES)
                + ")");
      }
      if (model.retries() != null && model.retries() < 0) {
        fail(path + ".retries", "must be 0 or more");
      }
      for (int j = 0; j < model.deployments().size(); j++) {
        DeploymentConfig deployment = model.deployments().get(j);
        String deploymentPath = path + ".deployments[" + j + "]";
        if (deployment.provider() == null || !providerNames.contains(deployment.provider())) {
          fail(
              deploymentPath + ".provider",
              "no provider named '"
                  + deployment.provider()
                  + "' (known: "
                  + String.join(", ", new java.util.TreeSet<>(providerNames))
                  + ")");
        }
        if (deployment.model() == null || deployment.model().isBlank()) {
          fail(deploymentPath + ".model", "required");
        }
        checkTimeouts(deploymentPath + ".timeouts", deployment.timeouts());
        if (deployment.weight() < 0) {
          fail(deploymentPath + ".weight", "must be 0 or more");
        }
        if (deployment.region() != null && deployment.region().isBlank()) {
          fail(deploymentPath + ".region", "must not be empty");
        }
      }
    }
    for (int i = 0; i < config.models().size(); i++) {
      ModelConfig model = config.models().get(i);
      for (int j = 0; j < model.fallbacks().size(); j++) {
        String fallback = model.fallbacks().get(j);
        if (!aliases.contains(fallback) || fallback.equals(model.alias())) {
          fail("models[" + i + "].fallbacks[" + j + "]", "no other alias named '" + fallback + "'");
        }
      }
    }
  }

  private void checkPort(String key, int port) {
    if (port < 0 || port > 65535) {
      fail(key, "expected a port between 0 and 65535, got " + port);
    }
  }

  private void checkTimeouts(String key, TimeoutsConfig timeouts) {
    if (timeouts == null) {
      return;
    }
    checkPositive(key + ".connectMs", timeouts.connectMs());
    checkPositive(key + ".firstByteMs", timeouts.firstByteMs());
    checkPositive(key + ".idleMs", timeouts.idleMs());
    checkPositive(key + ".totalMs", timeouts.totalMs());
  }

  private void checkPositive(String key, Long value) {
    if (value != null && value <= 0) {
      fail(key, "must be a positive number of milliseconds");
    }
  }

  private void checkHttpUrl(String key, String url) {
    try {
      URI uri = URI.create(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null) {
        fail(key, "expected an http:// or https:// URL, got '" + url + "'");
      }
    } catch (IllegalArgumentException e) {
      fail(key, "not a valid URL: '" + url + "'");
    }
  }

  private void positive(String key, long value) {
    if (value < 1) {
      fail(key, "must be positive");
    }
  }

  private void fail(String key, String problem) {
    throw new ConfigException(source + ": " + key + ": " + problem);
  }
}
