package dev.conduit.provider;

import dev.conduit.config.ProviderConfig;
import dev.conduit.config.TimeoutsConfig;
import java.util.Map;
import java.util.Optional;

/**
 * A configured provider at run time: one immutable snapshot, replaced whole when an admin change
 * arrives.
 *
 * @param name provider name
 * @param config its configuration
 * @param adapter its protocol adapter
 * @param timeouts provider timeouts with defaults filled
 * @param unavailableReason why it cannot serve (e.g. its API key variable is unset), if so
 * @param keys its API keys (rejected ones out of rotation)
 * @param enabled false while an operator has disabled it
 * @param regionalEndpoints region name to endpoint URL: those set at run time by the admin API,
 *     else those of the configuration
 */
public record Provider(
    String name,
    ProviderConfig config,
    ProviderAdapter adapter,
    TimeoutsConfig timeouts,
    Optional<String> unavailableReason,
    ApiKeyRing keys,
    boolean enabled,
    Map<String, String> regionalEndpoints) {

  public Provider {
    keys = keys == null ? new ApiKeyRing(java.util.List.of()) : keys;
    regionalEndpoints = regionalEndpoints == null ? Map.of() : Map.copyOf(regionalEndpoints);
  }

  public Provider(
      String name,
      ProviderConfig config,
      ProviderAdapter adapter,
      TimeoutsConfig timeouts,
      Optional<String> unavailableReason) {
    this(name, config, adapter, timeouts, unavailableReason, null, true, null);
  }

  /** Whether it is configured well enough to be called (its keys are set). */
  public boolean isAvailable() {
    return unavailableReason.isEmpty();
  }

  /** Why requests must not go to it now, or empty when they may. */
  public Optional<String> whyNotServing() {
    if (unavailableReason.isPresent()) {
      return Optional.of("provider '" + name + "' is not configured: " + unavailableReason.get());
    }
    if (!enabled) {
      return Optional.of("provider '" + name + "' is disabled by an operator");
    }
    if (keys.allRejected()) {
      return Optional.of("provider '" + name + "' rejected every API key the gateway holds");
    }
    return Optional.empty();
  }

  /**
   * The endpoint for a deployment in {@code region}, if one is set; a deployment that names no
   * region is in the provider's default region ({@code region} in its configuration).
   */
  public Optional<String> regionalEndpoint(String region) {
    String effective = region != null ? region : config.region();
    return effective == null
        ? Optional.empty()
        : Optional.ofNullable(regionalEndpoints.get(effective));
  }
}
