package dev.conduit.config;

/**
 * Optional shared Redis, for counters shared by several gateway instances.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379}; credentials in it are never logged
 */
public record RedisConfig(String url) {

  @Override
  public String toString() {
    return "RedisConfig[url=" + Redaction.url(url) + "]";
  }
}
