package dev.conduit.pipeline;

import dev.conduit.cache.CacheControl;
import dev.conduit.cache.ResponseCache;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.route.ModelRoute;
import dev.conduit.route.Router;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs admitted model requests: plan the deployments, answer from the response cache when it holds
 * the answer, else hand the request to a {@link ProxyCall} (which stores its answer on a miss). One
 * per event loop (it holds that loop's {@link UpstreamClient}); everything runs on that loop.
 */
public final class ProxyPipeline {
  private static final Logger log = LoggerFactory.getLogger(ProxyPipeline.class);

  private final Router router;
  private final UpstreamClient upstream;
  private final CallCodecs codecs;
  private final CallSettler settler;
  private final Resilience resilience;
  private final Vertx vertx;
  private final ResponseCaching caching;
  private final CallsInFlight inFlight;

  /**
   * @param caching the response cache's step; null when the gateway has no cache
   */
  public ProxyPipeline(
      Router router,
      UpstreamClient upstream,
      CallCodecs codecs,
      CallSettler settler,
      Resilience resilience,
      Vertx vertx,
      ResponseCaching caching,
      CallsInFlight inFlight) {
    this.caching = caching;
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
   * @param control what the caller's {@code Cache-Control} asks of the response cache
   * @throws GatewayException (503) when no deployment of the alias can serve
   */
  public void run(
      InboundCall call,
      ModelRoute route,
      CallRecord record,
      HttpServerResponse response,
      ErrorFormat errors,
      CacheControl control) {
    Router.Plan plan = router.plan(route);
    ResponseCaching.Plan cachePlan =
        caching == null ? null : caching.plan(call, route.alias(), record.key(), control);
    if (cachePlan == null) {
      if (caching != null) {
        response.putHeader(ResponseCaching.HEADER, "bypass");
      }
      proxy(call, plan, record, response, errors, null);
      return;
    }
    CacheRecorder recorder = caching.recorder(cachePlan, call, record);
    if (!cachePlan.read()) {
      response.putHeader(ResponseCaching.HEADER, "miss");
      proxy(call, plan, record, response, errors, recorder);
      return;
    }
    Context loop = Vertx.currentContext();
    caching
        .lookup(cachePlan, route.alias())
        .onComplete(
            found -> {
              Runnable next =
                  () -> {
                    try {
                      answer(found.result(), call, plan, record, response, errors, recorder);
                    } catch (RuntimeException e) {
                      failedInside(record, response, errors, e);
                    }
                  };
              if (loop == null || Vertx.currentContext() == loop) {
                next.run();
              } else {
                loop.runOnContext(v -> next.run());
              }
            });
  }

  private void answer(
      ResponseCache.Hit hit,
      InboundCall call,
      Router.Plan plan,
      CallRecord record,
      HttpServerResponse response,
      ErrorFormat errors,
      CacheRecorder recorder) {
    if (hit != null) {
      try {
        caching.replay(hit, call, record, response);
        return;
      } catch (RuntimeException e) {
        // Not replayable in the form asked for: served as a miss (nothing was written).
        caching.unusable(plan.route().alias());
      }
    }
    response.putHeader(ResponseCaching.HEADER, "miss");
    proxy(call, plan, record, response, errors, recorder);
  }

  /** A bug after the lookup must not leave the caller hanging: it gets a 500. */
  private void failedInside(
      CallRecord record, HttpServerResponse response, ErrorFormat errors, RuntimeException e) {
    log.error("Request {} failed inside the gateway", record.requestId(), e);
    if (record.isSettled()) {
      return;
    }
    GatewayError error =
        GatewayError.internal(
            "The gateway failed to handle this request (request id " + record.requestId() + ").");
    settler.failed(record, error);
    if (!response.headWritten() && !response.closed()) {
      response
          .setStatusCode(error.status())
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(errors.body(error));
    }
  }

  private void proxy(
      InboundCall call,
      Router.Plan plan,
      CallRecord record,
      HttpServerResponse response,
      ErrorFormat errors,
      CacheRecorder recorder) {
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
            recorder,
            inFlight)
        .start();
  }
}
