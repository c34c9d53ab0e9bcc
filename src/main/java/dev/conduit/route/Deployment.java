package dev.conduit.route;

import dev.conduit.config.DeploymentConfig;
import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.UpstreamOptions;
import dev.conduit.provider.UpstreamTarget;

/**
 * One provider model that serves an alias.
 *
 * @param target what the provider adapter is given: the provider, its model name, the region and
 *     how calls are sent (timeouts resolved)
 * @param weight share of traffic under the weighted strategy
 * @param priority lower is preferred under the priority strategy
 * @param id names it in headers, logs, metrics and its circuit state: {@code
 *     provider/model[@region]}; kept, not rebuilt, because routing reads it several times a request
 */
public record Deployment(UpstreamTarget target, int weight, int priority, String id) {

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
        new UpstreamTarget(
            provider,
            config.model(),
            config.region(),
            new UpstreamOptions(provider.name(), resolved)),
        config.weight(),
        config.priority() == null ? index : config.priority(),
        id);
  }

  /** The provider. */
  public Provider provider() {
    return target.provider();
  }

  /** The provider's model name. */
  public String model() {
    return target.model();
  }

  /** The provider region called (see the provider's regional endpoints), or null. */
  public String region() {
    return target.region();
  }

  /** How calls to it are sent (timeouts resolved). */
  public UpstreamOptions upstreamOptions() {
    return target.upstreamOptions();
  }
}
