package dev.conduit.config;

/**
 * One provider model that can serve an alias.
 *
 * @param provider provider name
 * @param model the provider's own model name
 * @param region the provider region to call (a key of the provider's regional endpoints); none
 *     means the provider's base URL
 * @param weight share of traffic under the {@code weighted} strategy (default 1)
 * @param priority lower is preferred under the {@code priority} strategy (default: list order)
 * @param timeouts overrides the provider's timeouts
 */
public record DeploymentConfig(String provider, String model, String region, Integer weight,
    Integer priority, TimeoutsConfig timeouts) {

  public DeploymentConfig {
    weight = weight == null ? 1 : weight;
  }

  public DeploymentConfig(String provider, String model, TimeoutsConfig timeouts) {
    this(provider, model, null, null, null, timeouts);
  }
}
