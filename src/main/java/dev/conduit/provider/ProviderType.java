package dev.conduit.provider;

import dev.conduit.config.ProviderConfig;
import java.util.Optional;
import java.util.Set;

/** A {@code type:} in the providers configuration, and how to build its adapter. */
public interface ProviderType {
  /** The name used in configuration. */
  String name();

  /**
   * The keys of its own this type takes beside the common ones of {@link ProviderConfig} (the
   * loader refuses any other); the type parses them from {@link ProviderConfig#settings()}.
   */
  default Set<String> settingKeys() {
    return Set.of();
  }

  /** Which of {@link #settingKeys()} hold secrets: stored encrypted, shown only as hints. */
  default Set<String> secretSettingKeys() {
    return Set.of();
  }

  /** Whether the provider cannot be called without an API key. */
  boolean requiresApiKey();

  /**
   * Whether this configuration of the type needs an API key (for types where some configurations
   * authenticate otherwise, such as {@code googlecloud} on Vertex AI).
   */
  default boolean requiresApiKey(ProviderConfig config) {
    return requiresApiKey();
  }

  /**
   * What credentials other than API keys the provider lacks (AWS keys, a service-account file), if
   * any; the provider is then kept but unavailable, like one whose API key is unset.
   */
  default Optional<String> missingCredentials(ProviderSetup setup) {
    return Optional.empty();
  }

  /** The public base URL used when the configuration gives none; null when there is none. */
  default String defaultBaseUrl() {
    return null;
  }

  /**
   * What this type needs that the configuration lacks (e.g. Azure's resource URL), if anything.
   * Such a provider is kept but unavailable, like one whose key is unset: its models answer 503
   * naming the problem, and a bad definition made through the admin API breaks nothing else.
   */
  default Optional<String> configProblem(ProviderConfig config) {
    return Optional.empty();
  }

  /** Builds the adapter for one configured provider (even one with a {@link #configProblem}). */
  ProviderAdapter create(ProviderSetup setup);
}
