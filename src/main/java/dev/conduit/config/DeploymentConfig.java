package dev.conduit.config;

/**
 * One provider model that can serve an alias.
 *
 * @param provider provider name
 * @param model the provider's own model name
 * @param timeouts overrides the provider's timeouts
 * @param region the provider region to call (a key of the provider's regional endpoints); none
 *     means the provider's default {@code region}, or its base URL
 * @param weight share of traffic under the {@code weighted} strategy (default 1)
 * @param priority lower is preferred under the {@code priority} strategy (default: list order)
 */
public record DeploymentConfig(
    String provider,
    String model,
    TimeoutsConfig timeouts,
    String region,
    Integer weight,
    Integer priority) {

  public DeploymentConfig {
    weight = weight == null ? 1 : weight;
  }

  public DeploymentConfig(String provider, String model, TimeoutsConfig timeouts) {
    this(provider, model, timeouts, null, null, null);
  }

  public DeploymentConfig(String provider, String model, TimeoutsConfig timeouts, String region) {
    this(provider, model, timeouts, region, null, null);
  }
}
