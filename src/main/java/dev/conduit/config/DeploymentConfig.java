package dev.conduit.config;

/**
 * One provider model that can serve an alias.
 *
 * @param provider provider name
 * @param model the provider's own model name (for {@code azure}, the deployment name)
 * @param timeouts overrides the provider's timeouts
 * @param region the provider region to call (a key of the provider's {@code regionalEndpoints});
 *     null for the provider's default
 */
public record DeploymentConfig(String provider, String model, TimeoutsConfig timeouts,
    String region) {

  public DeploymentConfig(String provider, String model, TimeoutsConfig timeouts) {
    this(provider, model, timeouts, null);
  }
}
