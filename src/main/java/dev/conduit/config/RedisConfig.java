package dev.conduit.config;

/**
 * Optional shared Redis, for counters shared by several gateway instances.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379}; credentials in it are never logged
 * @param keyPrefix prepended to every key the gateway writes, so several gateways (or test runs)
 *     can share one Redis without meeting
 * @param timeoutMs how long a counter operation may take before the instance falls back to its own
 *     counters
 */
public record RedisConfig(String url, String keyPrefix, Long timeoutMs) {

  public RedisConfig {
    keyPrefix = keyPrefix == null ? "conduit:" : keyPrefix;
    timeoutMs = timeoutMs == null ? 2_000L : timeoutMs;
  }

  public RedisConfig(String url) {
    this(url, null, null);
  }

  public RedisConfig withUrl(String newUrl) {
    return new RedisConfig(newUrl, keyPrefix, timeoutMs);
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + Redaction.url(url) + ", keyPrefix=" + keyPrefix + "]";
  }
}
