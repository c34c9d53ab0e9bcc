package dev.conduit.provider;

/** A {@code type:} in the providers configuration, and how to build its adapter. */
public interface ProviderType {
  /** The name used in configuration. */
  String name();

  /** Whether the provider cannot be called without an API key. */
  boolean requiresApiKey();

  /**
   * Whether this configuration of the type needs an API key (for types where some configurations
   * authenticate otherwise, such as {@code googlecloud} on Vertex AI).
   */
  default boolean requiresApiKey(dev.conduit.config.ProviderConfig config) {
    return requiresApiKey();
  }

  /**
   * What credentials other than API keys the provider lacks (AWS keys, a service-account file),
   * if any; the provider is then kept but unavailable, like one whose API key is unset.
   */
  default java.util.Optional<String> missingCredentials(ProviderSetup setup) {
    return java.util.Optional.empty();
  }

  /** The public base URL used when the configuration gives none; null when there is none. */
  default String defaultBaseUrl() {
    return null;
  }

  /**
   * Builds the adapter for one configured provider.
   *
   * @throws dev.conduit.config.ConfigException when the configuration lacks what this type needs
   */
  ProviderAdapter create(ProviderSetup setup);
}
