package dev.conduit.provider;

/** A {@code type:} in the providers configuration, and how to build its adapter. */
public interface ProviderType {
  /** The name used in configuration. */
  String name();

  /** Whether the provider cannot be called without an API key. */
  boolean requiresApiKey();

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
