package dev.conduit.route;

import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.UpstreamOptions;

/**
 * One provider model that serves an alias.
 *
 * @param provider the provider
 * @param model the provider's model name
 * @param region the provider region to call; null for the provider's default
 * @param upstreamOptions how calls to it are sent (timeouts resolved)
 */
public record Deployment(Provider provider, String model, String region,
    UpstreamOptions upstreamOptions) {

  public static Deployment of(Provider provider, String model, TimeoutsConfig timeouts) {
    return of(provider, model, null, timeouts);
  }

  public static Deployment of(Provider provider, String model, String region,
      TimeoutsConfig timeouts) {
    TimeoutsConfig resolved = timeouts == null
        ? provider.timeouts()
        : timeouts.orElse(provider.timeouts());
    return new Deployment(provider, model, region,
        new UpstreamOptions(provider.name(), resolved));
  }

  /** Names this deployment in headers and logs: {@code provider/model}. */
  public String id() {
    return provider.name() + "/" + model;
  }
}
