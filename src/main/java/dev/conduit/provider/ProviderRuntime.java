package dev.conduit.provider;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an operator changed about a provider at run time, kept apart from its definition.
 *
 * @param enabled false while disabled through the admin API
 * @param regionalEndpoints region name to endpoint URL
 * @param rejectedKeys keys the provider rejected, shared by the provider's successive snapshots
 */
public record ProviderRuntime(
    boolean enabled, Map<String, String> regionalEndpoints, Set<String> rejectedKeys) {

  public ProviderRuntime {
    regionalEndpoints = regionalEndpoints == null ? Map.of() : Map.copyOf(regionalEndpoints);
    rejectedKeys = rejectedKeys == null ? ConcurrentHashMap.newKeySet() : rejectedKeys;
  }

  public static ProviderRuntime defaults() {
    return new ProviderRuntime(true, Map.of(), null);
  }
}
