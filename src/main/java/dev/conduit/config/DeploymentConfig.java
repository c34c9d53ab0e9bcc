package dev.conduit.config;

/**
 * One provider model that can serve an alias.
 *
 * @param provider provider name
 * @param model the provider's own model name
 * @param timeouts overrides the provider's timeouts
 */
public record DeploymentConfig(String provider, String model, TimeoutsConfig timeouts) {}
