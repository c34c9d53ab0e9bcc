package dev.conduit.config;

import java.util.List;

/**
 * A model alias callers use, and the provider deployments that serve it.
 *
 * @param alias the name in the caller's {@code model} field
 * @param strategy how deployments are ordered for each request: {@code priority} (default), {@code
 *     weighted}, {@code round-robin}, {@code least-latency}, {@code least-busy}, {@code least-cost}
 * @param fallbacks other aliases tried, in order, when every deployment of this one failed
 * @param retries attempts a request may make on deployments it already tried, after a backoff; null
 *     means {@code routing.retries}
 * @param deployments the deployments that serve it
 */
public record ModelConfig(
    String alias,
    String strategy,
    List<String> fallbacks,
    Integer retries,
    List<DeploymentConfig> deployments) {

  public static final List<String> STRATEGIES =
      List.of("priority", "weighted", "round-robin", "least-latency", "least-busy", "least-cost");

  public ModelConfig {
    strategy = strategy == null ? "priority" : strategy;
    fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
  }

  public ModelConfig(String alias, List<DeploymentConfig> deployments) {
    this(alias, null, null, null, deployments);
  }
}
