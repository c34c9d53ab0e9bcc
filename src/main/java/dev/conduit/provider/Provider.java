package dev.conduit.provider;

import dev.conduit.config.ProviderConfig;
import dev.conduit.config.TimeoutsConfig;
import java.util.Optional;

/**
 * A configured provider at run time.
 *
 * @param name provider name
 * @param config its configuration
 * @param adapter its protocol adapter
 * @param timeouts provider timeouts with defaults filled
 * @param unavailableReason why it cannot serve (e.g. its API key variable is unset), if so
 * @param baseUrls where its calls go; its regional URLs may be replaced at run time
 */
public record Provider(
    String name,
    ProviderConfig config,
    ProviderAdapter adapter,
    TimeoutsConfig timeouts,
    Optional<String> unavailableReason,
    BaseUrls baseUrls) {

  public boolean isAvailable() {
    return unavailableReason.isEmpty();
  }
}
