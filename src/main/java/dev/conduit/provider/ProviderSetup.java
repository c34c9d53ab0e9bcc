package dev.conduit.provider;

import dev.conduit.config.ProviderConfig;

/**
 * What a {@link ProviderType} gets to build one provider's adapter. A parameter object, so types
 * that need more (credentials files, a token fetcher) can be given it without changing every type.
 *
 * @param config the provider's configuration
 * @param keys its API keys (those whose environment variables are set)
 * @param baseUrls where its calls go (base URL, regions)
 * @param services clock, environment and HTTP client for credential calls
 */
public record ProviderSetup(ProviderConfig config, ApiKeyRing keys, BaseUrls baseUrls,
    ProviderServices services) {

  public ProviderSetup(ProviderConfig config, ApiKeyRing keys, BaseUrls baseUrls) {
    this(config, keys, baseUrls, ProviderServices.standalone());
  }

  public String name() {
    return config.name();
  }
}
