package dev.conduit.pipeline;

import dev.conduit.core.GatewayException;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.route.ModelRoute;
import dev.conduit.route.Router;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * Runs admitted model requests: plan the deployments, then hand the request to a {@link ProxyCall}.
 * One per event loop (it holds that loop's {@link UpstreamClient}).
 */
public final class ProxyPipeline {
  private final Router router;
  private final UpstreamClient upstream;
  private final CallCodecs codecs;
  private final CallSettler settler;
  private final Resilience resilience;
  private final Vertx vertx;
  private final CallsInFlight inFlight;

  public ProxyPipeline(
      Router router,
      UpstreamClient upstream,
      CallCodecs codecs,
      CallSettler settler,
      Resilience resilience,
      Vertx vertx,
      CallsInFlight inFlight) {
    this.inFlight = inFlight;
    this.router = router;
    this.upstream = upstream;
    this.codecs = codecs;
    this.settler = settler;
    this.resilience = resilience;
    this.vertx = vertx;
  }

  /**
   * Serves {@code call} for alias {@code route}; answers the caller and settles {@code record}.
   *
   * @throws GatewayException (503) when no deployment of the alias can serve
   */
  public void run(
      InboundCall call,
      ModelRoute route,
      CallRecord record,
      HttpServerResponse response,
      ErrorFormat errors) {
    Router.Plan plan = router.plan(route);
    new ProxyCall(
            call,
            plan,
            record,
            response,
            upstream,
            codecs,
            settler,
            errors,
            resilience,
            vertx,
            inFlight)
        .start();
  }
}
