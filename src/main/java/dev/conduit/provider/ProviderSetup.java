package dev.conduit.provider;

import dev.conduit.config.ProviderConfig;

/**
 * What a {@link ProviderType} gets to build one provider's adapter. A parameter object, so types
 * that need more (credentials files, a token fetcher) can be given it without changing every type.
 *
 * @param config the provider's configuration
 * @param keys its API keys (those whose environment variables are set; rejected ones leave the
 *     rotation)
 * @param baseUrl the configured {@code baseUrl}, else the type's public default; may be null for
 *     types that have none (regional endpoints then supply it). Per call, {@link
 *     RegionalEndpoints#baseUrl} picks the deployment's region's URL instead when one is set
 * @param services clock, environment and HTTP client for credential calls
 */
public record ProviderSetup(
    ProviderConfig config, ApiKeyRing keys, String baseUrl, ProviderServices services) {

  /** Outside a running gateway: the system clock and environment, no credential calls. */
  public ProviderSetup(ProviderConfig config, ApiKeyRing keys, String baseUrl) {
    this(config, keys, baseUrl, ProviderServices.standalone());
  }

  public String name() {
    return config.name();
  }
}
