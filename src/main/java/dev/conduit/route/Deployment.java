package dev.conduit.route;

import dev.conduit.config.DeploymentConfig;
import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.UpstreamOptions;

/**
 * One provider model that serves an alias.
 *
 * @param provider the provider
 * @param model the provider's model name
 * @param region the provider region called (see the provider's regional endpoints), or null
 * @param weight share of traffic under the weighted strategy
 * @param priority lower is preferred under the priority strategy
 * @param upstreamOptions how calls to it are sent (timeouts resolved)
 * @param id names it in headers, logs, metrics and its circuit state: {@code
 *     provider/model[@region]}; kept, not rebuilt, because routing reads it several times a request
 */
public record Deployment(
    Provider provider,
    String model,
    String region,
    int weight,
    int priority,
    UpstreamOptions upstreamOptions,
    String id) {

  public static Deployment of(Provider provider, String model, TimeoutsConfig timeouts) {
    return of(provider, model, null, timeouts);
  }

  public static Deployment of(
      Provider provider, String model, String region, TimeoutsConfig timeouts) {
    return of(provider, new DeploymentConfig(provider.name(), model, timeouts, region), 0);
  }

  /** The deployment configured at {@code index} of its alias's list. */
  public static Deployment of(Provider provider, DeploymentConfig config, int index) {
    TimeoutsConfig timeouts = config.timeouts();
    TimeoutsConfig resolved =
        timeouts == null ? provider.timeouts() : timeouts.orElse(provider.timeouts());
    String id =
        provider.name()
            + "/"
            + config.model()
            + (config.region() == null ? "" : "@" + config.region());
    return new Deployment(
        provider,
        config.model(),
        config.region(),
        config.weight(),
        config.priority() == null ? index : config.priority(),
        new UpstreamOptions(provider.name(), resolved),
        id);
  }
}
