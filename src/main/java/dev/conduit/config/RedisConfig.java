package dev.conduit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Optional shared Redis, for counters shared by several gateway instances (and the response cache's
 * Redis tier): one standalone server, a Redis Cluster, or a master found through Sentinel.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379}; may hold several comma-separated URLs (as {@code
 *     CONDUIT_REDIS_URL} does); credentials in it are never logged
 * @param urls the same as a list, instead of {@code url}: cluster nodes to discover the cluster
 *     from, or the sentinels
 * @param mode {@code standalone}, {@code cluster} or {@code sentinel}; when absent, {@code cluster}
 *     if several URLs are given, else {@code standalone}
 * @param masterName the master's name as the sentinels know it ({@code sentinel} mode only)
 * @param keyPrefix prepended to every key the gateway writes, so several gateways (or test runs)
 *     can share one Redis without meeting; no braces (they would break the hash tags)
 * @param timeoutMs how long a counter operation may take before the instance falls back to its own
 *     counters
 * @param replicaAcks how many replicas must confirm each counter write ({@code WAIT}) before the
 *     gateway acts on it, so a failover cannot lose it; default 1 in {@code cluster} and {@code
 *     sentinel} mode, 0 in {@code standalone}
 */
public record RedisConfig(
    String url,
    List<String> urls,
    String mode,
    String masterName,
    String keyPrefix,
    Long timeoutMs,
    Integer replicaAcks) {

  /** How the gateway reaches Redis. */
  public enum Mode {
    STANDALONE,
    CLUSTER,
    SENTINEL;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RedisConfig {
    urls = urls == null ? List.of() : List.copyOf(urls);
    keyPrefix = keyPrefix == null ? "conduit:" : keyPrefix;
    timeoutMs = timeoutMs == null ? 2_000L : timeoutMs;
  }

  public RedisConfig(String url) {
    this(url, null, null, null, null, null, null);
  }

  /** The same settings with {@code CONDUIT_REDIS_URL}'s URLs instead of the file's. */
  public RedisConfig withUrl(String newUrl) {
    return new RedisConfig(newUrl, null, mode, masterName, keyPrefix, timeoutMs, replicaAcks);
  }

  /** Every URL given, from {@code urls} or from {@code url} split at commas. */
  public List<String> nodes() {
    if (!urls.isEmpty()) {
      return urls;
    }
    List<String> nodes = new ArrayList<>();
    if (url != null) {
      for (String part : url.split(",")) {
        if (!part.isBlank()) {
          nodes.add(part.trim());
        }
      }
    }
    return nodes;
  }

  /**
   * The mode in force: {@code mode}, or inferred from the number of URLs. Call on a validated
   * configuration (an unknown mode throws).
   */
  public Mode resolvedMode() {
    if (mode == null || mode.isBlank()) {
      return nodes().size() > 1 ? Mode.CLUSTER : Mode.STANDALONE;
    }
    return Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
  }

  /** Whether the mode in force is a Redis Cluster (commands go to their slot's master). */
  public boolean cluster() {
    return resolvedMode() == Mode.CLUSTER;
  }

  /** {@code replicaAcks}, or its default for the mode. */
  public int resolvedReplicaAcks() {
    if (replicaAcks != null) {
      return replicaAcks;
    }
    return resolvedMode() == Mode.STANDALONE ? 0 : 1;
  }

  /** The URLs with credentials hidden, for logs. */
  public String redactedNodes() {
    return nodes().stream().map(Redaction::url).collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return "RedisConfig[mode="
        + (mode == null ? "(inferred)" : mode)
        + ", urls="
        + redactedNodes()
        + ", masterName="
        + masterName
        + ", keyPrefix="
        + keyPrefix
        + "]";
  }
}
