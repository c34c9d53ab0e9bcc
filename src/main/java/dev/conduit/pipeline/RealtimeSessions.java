package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.keys.Admission;
import dev.conduit.keys.AdmissionTicket;
import dev.conduit.pricing.Prices;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamWebSockets;
import dev.conduit.route.CircuitPermit;
import dev.conduit.route.Deployment;
import dev.conduit.route.ModelRoute;
import dev.conduit.route.Router;
import dev.conduit.route.Router.Candidate;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;

/**
 * Opens the upstream side of Realtime sessions ({@code /v1/realtime}): the router's deployments in
 * order, each behind its circuit breaker, until one accepts the WebSocket handshake. Everything
 * here happens before the caller's own upgrade, so a deployment that fails (unreachable, 5xx, 429,
 * refused credentials) falls back to the next one, and when none serves the caller gets an ordinary
 * HTTP error. There are no backoff retries: a caller waiting for a handshake is better told at
 * once. One per event loop; runs on that loop.
 */
public final class RealtimeSessions {
  private final Router router;
  private final UpstreamWebSockets sockets;
  private final Resilience resilience;
  private final CallSettler settler;
  private final Admission admission;
  private final Prices prices;
  private final Vertx vertx;

  public RealtimeSessions(
      Router router,
      UpstreamWebSockets sockets,
      Resilience resilience,
      CallSettler settler,
      Admission admission,
      Prices prices,
      Vertx vertx) {
    this.router = router;
    this.sockets = sockets;
    this.resilience = resilience;
    this.settler = settler;
    this.admission = admission;
    this.prices = prices;
    this.vertx = vertx;
  }

  /**
   * Opens an upstream session for an admitted call. Fails with {@link GatewayException} (the error
   * to answer the caller with) when no deployment accepts it; the call is then not settled here.
   *
   * @param call the admission of the session (budget checks between responses repeat it)
   * @param ticket the session's admission ticket; its first responses are charged to it
   * @param extraHeaders handshake headers passed on from the caller (its beta opt-in)
   */
  public Future<RealtimeSession> open(
      Admission.Call call,
      ModelRoute route,
      CallRecord record,
      AdmissionTicket ticket,
      MultiMap extraHeaders) {
    Router.Plan plan;
    try {
      plan = router.plan(route);
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
    Promise<RealtimeSession> opened = Promise.promise();
    new Opening(call, plan, record, ticket, extraHeaders, opened).next(null);
    return opened.future();
  }

  /** One session's walk over its plan's candidates. */
  private final class Opening {
    private final Admission.Call call;
    private final Router.Plan plan;
    private final CallRecord record;
    private final AdmissionTicket ticket;
    private final MultiMap extraHeaders;
    private final Promise<RealtimeSession> opened;
    private int nextCandidate;

    Opening(
        Admission.Call call,
        Router.Plan plan,
        CallRecord record,
        AdmissionTicket ticket,
        MultiMap extraHeaders,
        Promise<RealtimeSession> opened) {
      this.call = call;
      this.plan = plan;
      this.record = record;
      this.ticket = ticket;
      this.extraHeaders = extraHeaders;
      this.opened = opened;
    }

    void next(GatewayError previous) {
      GatewayError error = previous;
      while (nextCandidate < plan.candidates().size()) {
        Candidate candidate = plan.candidates().get(nextCandidate++);
        CircuitPermit permit = candidate.state().tryAcquire();
        if (permit != null) {
          attempt(candidate, permit);
          return;
        }
        if (error == null) {
          error = AttemptFailure.circuitOpen(candidate);
        }
      }
      opened.fail(new GatewayException(error));
    }

    private void attempt(Candidate candidate, CircuitPermit permit) {
      if (record.attempts() > 0) {
        resilience.metrics().retried(plan.route().alias());
        if (candidate.fallback()) {
          resilience.metrics().fellBack(plan.route().alias(), candidate.alias());
        }
      }
      Deployment deployment = candidate.deployment();
      record.attemptStarted(deployment);
      Attempt attempt = new Attempt(candidate, permit, resilience.health());
      String provider = deployment.provider().name();
      deployment
          .provider()
          .adapter()
          .realtimeRequest(deployment.target())
          .onFailure(
              failure -> {
                AttemptFailure why = AttemptFailure.notPrepared(failure, provider);
                attempt.abandoned();
                failed(why);
              })
          .onSuccess(
              request -> {
                attempt.carries(request.apiKey());
                sockets
                    .connect(request, deployment.upstreamOptions(), extraHeaders)
                    .onComplete(
                        connected -> {
                          if (connected.succeeded()) {
                            attempt.responded();
                            attempt.succeeded();
                            record.upstreamFirstByte();
                            opened.complete(session(connected.result(), deployment));
                          } else {
                            refusedOrBroken(attempt, connected.cause());
                          }
                        });
              });
    }

    private void refusedOrBroken(Attempt attempt, Throwable cause) {
      Deployment deployment = attempt.deployment();
      String provider = deployment.provider().name();
      if (!(cause instanceof UpstreamWebSockets.Refused refused)) {
        AttemptFailure why = AttemptFailure.transport(cause, provider);
        attempt.failed(why.error());
        failed(why);
        return;
      }
      UpstreamError answer =
          deployment
              .provider()
              .adapter()
              .mapError(refused.status(), refused.headers(), refused.body());
      if (attempt.apiKey() != null && UpstreamErrors.refusesKey(refused.status())) {
        deployment.provider().keys().refused(attempt.apiKey(), provider, "a realtime session");
      }
      AttemptFailure why =
          AttemptFailure.answered(answer, resilience.policy().retryAfterMs(refused.headers()));
      if (why.course() == AttemptFailure.Course.ANSWER_CALLER) {
        attempt.refused();
      } else {
        attempt.failed(why.error());
      }
      failed(why);
    }

    private void failed(AttemptFailure why) {
      if (why.course() == AttemptFailure.Course.ANSWER_CALLER) {
        opened.fail(new GatewayException(why.error()));
      } else {
        next(why.error());
      }
    }

    private RealtimeSession session(WebSocket upstream, Deployment deployment) {
      return new RealtimeSession(
          call, record, ticket, upstream, deployment, settler, admission, prices, vertx);
    }
  }
}
