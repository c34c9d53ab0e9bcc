package dev.conduit.provider;

import dev.conduit.config.ProviderConfig;

/** A {@code type:} in the providers configuration, and how to build its adapter. */
public interface ProviderType {
  /** The name used in configuration. */
  String name();

  /** Whether the provider cannot be called without an API key. */
  boolean requiresApiKey();

  /** Builds the adapter for one configured provider. */
  ProviderAdapter create(ProviderConfig config, ApiKeyRing keys);
}
