package dev.conduit.provider.simulated;

import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderSetup;
import dev.conduit.provider.ProviderType;

/**
 * {@code type: simulated}: an in-process model for demos and first runs on a machine with no
 * network. Deterministic text, word-by-word streaming, token counts. Not for tests of the proxy
 * path, which use a real HTTP mock upstream.
 */
public final class SimulatedProviderType implements ProviderType {
  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public boolean requiresApiKey() {
    return false;
  }

  @Override
  public ProviderAdapter create(ProviderSetup setup) {
    return new SimulatedAdapter(setup.name());
  }
}
