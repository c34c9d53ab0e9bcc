package dev.conduit.provider;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;

/**
 * What provider types may use from the running gateway besides their configuration: the clock, the
 * process environment (for standard credential variables such as {@code AWS_ACCESS_KEY_ID}), and an
 * {@link UpstreamClient} for the provider's own calls, such as fetching an OAuth2 access token.
 * Adapters stay pure: only their credential helpers use the client.
 *
 * @param vertx the gateway's Vert.x instance, for work off the event loop; null when the registry
 *     is built outside a running gateway (translation tests)
 * @param clock the gateway's clock
 * @param env environment variables
 * @param authClient HTTP client for credential calls; null outside a running gateway
 */
public record ProviderServices(
    Vertx vertx, Clock clock, Map<String, String> env, UpstreamClient authClient) {

  public ProviderServices {
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** No gateway around: the system clock and environment, no HTTP client. */
  public static ProviderServices standalone() {
    return new ProviderServices(null, Clock.systemUTC(), System.getenv(), null);
  }

  /** Whether credential calls over HTTP are possible. */
  public boolean canCallOut() {
    return vertx != null && authClient != null;
  }

  /** Environment variables are credentials: never print them. */
  @Override
  public String toString() {
    return "ProviderServices[" + env.size() + " environment variables]";
  }
}
