package dev.conduit.route;

import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.UpstreamOptions;

/**
 * One provider model that serves an alias.
 *
 * @param provider the provider
 * @param model the provider's model name
 * @param upstreamOptions how calls to it are sent (timeouts resolved)
 */
public record Deployment(Provider provider, String model, UpstreamOptions upstreamOptions) {

  public static Deployment of(Provider provider, String model, TimeoutsConfig timeouts) {
    TimeoutsConfig resolved = timeouts == null
        ? provider.timeouts()
        : timeouts.orElse(provider.timeouts());
    return new Deployment(provider, model, new UpstreamOptions(provider.name(), resolved));
  }

  /** Names this deployment in headers and logs: {@code provider/model}. */
  public String id() {
    return provider.name() + "/" + model;
  }
}
