package dev.conduit.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the {@code redis:} section: its URLs, mode, sentinel master name, key prefix and numbers.
 * Errors name the key; URLs in them are shown without credentials.
 */
final class RedisConfigValidator {
  private final String source;

  RedisConfigValidator(String source) {
    this.source = source;
  }

  void validate(RedisConfig redis) {
    if (redis.url() != null && !redis.urls().isEmpty()) {
      fail("redis.urls", "give redis.url or redis.urls, not both");
    }
    String urlKey = redis.urls().isEmpty() ? "redis.url" : "redis.urls";
    List<String> nodes = redis.nodes();
    if (nodes.isEmpty()) {
      fail(urlKey, "expected a redis:// or rediss:// URL");
    }
    for (int i = 0; i < nodes.size(); i++) {
      String url = nodes.get(i);
      if (!(url.startsWith("redis://") || url.startsWith("rediss://"))) {
        fail(
            nodes.size() > 1 ? urlKey + "[" + i + "]" : urlKey,
            "expected a redis:// or rediss:// URL, got '" + Redaction.url(url) + "'");
      }
    }
    String mode = redis.mode() == null ? null : redis.mode().trim().toLowerCase(Locale.ROOT);
    if (mode != null && !Set.of("standalone", "cluster", "sentinel").contains(mode)) {
      fail("redis.mode", "expected standalone, cluster or sentinel, got '" + redis.mode() + "'");
    }
    RedisConfig.Mode resolved = redis.resolvedMode();
    if (resolved == RedisConfig.Mode.STANDALONE && nodes.size() > 1) {
      fail(
          "redis.mode",
          "standalone takes one URL, got "
              + nodes.size()
              + " (use cluster or sentinel for several nodes)");
    }
    boolean hasMasterName = redis.masterName() != null && !redis.masterName().isBlank();
    if (resolved == RedisConfig.Mode.SENTINEL && !hasMasterName) {
      fail(
          "redis.masterName",
          "sentinel mode needs the master's name as the sentinels know it (sentinel monitor"
              + " <name> ...)");
    }
    if (resolved != RedisConfig.Mode.SENTINEL && hasMasterName) {
      fail("redis.masterName", "is only used in sentinel mode (redis.mode: sentinel)");
    }
    if (redis.keyPrefix().indexOf('{') >= 0 || redis.keyPrefix().indexOf('}') >= 0) {
      fail(
          "redis.keyPrefix",
          "may not contain { or } (the counters' keys carry a {hash tag} that keeps each key's"
              + " counters in one Redis Cluster slot)");
    }
    if (redis.timeoutMs() < 1) {
      fail("redis.timeoutMs", "must be a positive number of milliseconds");
    }
    if (redis.replicaAcks() != null && redis.replicaAcks() < 0) {
      fail("redis.replicaAcks", "must be 0 or more");
    }
  }

  private void fail(String key, String problem) {
    throw new ConfigException(source + ": " + key + ": " + problem);
  }
}
