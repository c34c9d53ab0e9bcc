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
   * What this type needs that the configuration lacks (e.g. Azure's resource URL), if anything.
   * Such a provider is kept but unavailable, like one whose key is unset: its models answer 503
   * naming the problem, and a bad definition made through the admin API breaks nothing else.
   */
  default java.util.Optional<String> configProblem(dev.conduit.config.ProviderConfig config) {
    return java.util.Optional.empty();
  }

  /** Builds the adapter for one configured provider (even one with a {@link #configProblem}). */
  ProviderAdapter create(ProviderSetup setup);
}
