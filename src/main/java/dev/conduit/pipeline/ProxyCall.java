package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.keys.AdmissionTicket;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamExchange;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamResponse;
import dev.conduit.route.CircuitPermit;
import dev.conduit.route.Deployment;
import dev.conduit.route.Router;
import dev.conduit.route.Router.Candidate;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's attempt loop after admission: attempts over the planned deployments until one
 * answers, whose answer the {@link ResponseRelay} then writes to the caller. Each {@link Attempt}
 * keeps its own books (breaker, health, latency); {@link AttemptFailure} says what a failure
 * allows. Runs on the request's event loop.
 *
 * <p>The first pass tries each candidate once, in plan order, moving on at once after a retryable
 * failure (connection error, timeout, 408, 429, 5xx, 529). Then up to {@code plan.retries()} more
 * attempts go back to candidates that failed that way, each after an exponential backoff with
 * jitter that is never shorter than the provider's Retry-After. A candidate whose circuit is open
 * is skipped without an attempt. A provider key rejected with 401/403 is taken out of rotation and
 * the same deployment is tried at once with the next key.
 *
 * <p>Once the first streamed byte is out, a failure ends the stream with an error event: no retry.
 *
 * <p>The attempts together have a {@link RequestDeadline}: when it passes before a deployment's
 * success answer is being relayed, the attempt in flight is cancelled and the caller gets a 504; a
 * backoff that would outlast it is not waited out. An answer being relayed is bounded by the
 * upstream's idle and total timeouts instead.
 */
final class ProxyCall implements ResponseRelay.AttemptLoop {
  private static final Logger log = LoggerFactory.getLogger(ProxyCall.class);

  private final InboundCall call;
  private final Router.Plan plan;
  private final CallRecord record;
  private final UpstreamClient upstream;
  private final CallCodecs codecs;
  private final Resilience resilience;
  private final Vertx vertx;
  private final ResponseRelay relay;
  private final CallsInFlight inFlight;

  private final Retries retries;
  private int nextCandidate;
  private String currentAlias;
  private Attempt attempt;
  private UpstreamExchange current;
  private RequestDeadline deadline;

  /** Whether the relay is writing a deployment's success answer (the deadline no longer cuts). */
  private boolean relaying;

  ProxyCall(
      InboundCall call,
      Router.Plan plan,
      CallRecord record,
      HttpServerResponse response,
      UpstreamClient upstream,
      CallCodecs codecs,
      CallSettler settler,
      ErrorFormat errors,
      Resilience resilience,
      Vertx vertx,
      CacheRecorder recorder,
      CallsInFlight inFlight) {
    this.call = call;
    this.inFlight = inFlight;
    this.plan = plan;
    this.record = record;
    this.upstream = upstream;
    this.codecs = codecs;
    this.resilience = resilience;
    this.vertx = vertx;
    this.relay = new ResponseRelay(record, response, settler, errors, this, recorder);
    this.retries = new Retries(plan.retries());
    this.currentAlias = plan.route().alias();
  }

  void start() {
    relay.onCallerGone(this::onCallerGone);
    inFlight.add(this, vertx.getOrCreateContext());
    record.onSettled(() -> inFlight.remove(this));
    deadline =
        new RequestDeadline(vertx, resilience.deadlineMs(), () -> guard(this::deadlinePassed));
    tryNextCandidate(null);
  }

  /**
   * The gateway is stopping and its drain time ran out: a started stream ends with {@code error} as
   * an event, a call not answering yet gets it as its response; the upstream call is cancelled.
   */
  void cutOff(GatewayError error) {
    guard(
        () -> {
          if (record.isSettled()) {
            return;
          }
          if (attempt != null) {
            attempt.abandoned();
          }
          deadline.stop();
          relay.failInside(error);
          if (current != null) {
            current.cancel();
          }
        });
  }

  /** No deployment's answer is being relayed yet and time is up: cancel and answer 504. */
  private void deadlinePassed() {
    if (record.isSettled() || relaying) {
      return;
    }
    if (attempt != null) {
      // The caller's limit, not the deployment's fault: no verdict on its circuit.
      attempt.abandoned();
    }
    relay.fail(GatewayError.deadlineExceeded(deadline.limitMs(), record.attempts()));
    if (current != null) {
      current.cancel();
    }
  }

  /** First pass: the next candidate whose circuit lets a call through. */
  private void tryNextCandidate(GatewayError previousError) {
    if (record.isSettled()) {
      return;
    }
    if (deadline.remainingMs() <= 0) {
      relay.fail(GatewayError.deadlineExceeded(deadline.limitMs(), record.attempts()));
      return;
    }
    GatewayError error = previousError;
    while (nextCandidate < plan.candidates().size()) {
      Candidate candidate = plan.candidates().get(nextCandidate++);
      CircuitPermit permit = candidate.state().tryAcquire();
      if (permit != null) {
        startAttempt(candidate, permit);
        return;
      }
      if (error == null) {
        error = AttemptFailure.circuitOpen(candidate);
      }
    }
    retryOrFail(error);
  }

  /** After the first pass: back to a candidate that failed, after a backoff, or give up. */
  private void retryOrFail(GatewayError error) {
    if (retries.exhausted()) {
      relay.fail(error);
      return;
    }
    Candidate candidate = retries.nextCandidate();
    long delay = resilience.policy().delayMs(retries.nextNumber(), retries.retryAfterMs(candidate));
    if (delay >= deadline.remainingMs()) {
      // The retry could not start before the deadline: the caller learns the failure now.
      relay.fail(error);
      return;
    }
    retries.taken();
    resilience
        .timer()
        .schedule(
            vertx,
            delay,
            () -> {
              if (record.isSettled()) {
                return;
              }
              CircuitPermit permit = candidate.state().tryAcquire();
              if (permit != null) {
                startAttempt(candidate, permit);
              } else {
                retryOrFail(AttemptFailure.circuitOpen(candidate));
              }
            });
  }

  private void startAttempt(Candidate candidate, CircuitPermit permit) {
    if (record.attempts() > 0) {
      resilience.metrics().retried(plan.route().alias());
    }
    if (!candidate.alias().equals(currentAlias)) {
      if (candidate.fallback()) {
        resilience.metrics().fellBack(plan.route().alias(), candidate.alias());
      }
      currentAlias = candidate.alias();
    }
    Deployment deployment = candidate.deployment();
    record.attemptStarted(deployment);
    Attempt started = new Attempt(candidate, permit, resilience.health());
    attempt = started;
    CallCodec codec;
    try {
      codec = codecs.forAttempt(call, deployment);
    } catch (GatewayException e) {
      started.abandoned();
      relay.fail(e.error());
      return;
    }
    codec
        .upstreamRequest()
        .onComplete(
            built ->
                guard(
                    () -> {
                      if (record.isSettled()) {
                        return;
                      }
                      if (built.failed()) {
                        attemptFailed(
                            started,
                            AttemptFailure.notPrepared(
                                built.cause(), deployment.provider().name()));
                        return;
                      }
                      send(built.result(), codec, started);
                    }));
  }

  private void send(UpstreamRequest request, CallCodec codec, Attempt attempt) {
    attempt.carries(request.apiKey());
    current = upstream.send(request, attempt.deployment().upstreamOptions());
    UpstreamExchange exchange = current;
    exchange
        .response()
        .onComplete(result -> guard(() -> onResponse(result, codec, attempt, exchange)));
  }

  private void onResponse(
      AsyncResult<UpstreamResponse> result,
      CallCodec codec,
      Attempt attempt,
      UpstreamExchange exchange) {
    if (record.isSettled()) {
      return;
    }
    String provider = attempt.deployment().provider().name();
    if (result.failed()) {
      attemptFailed(attempt, AttemptFailure.transport(result.cause(), provider));
      return;
    }
    attempt.responded();
    UpstreamResponse upstreamResponse = result.result();
    record.upstreamFirstByte();
    int status = upstreamResponse.status();
    if (status < 200 || status >= 300) {
      upstreamResponse
          .body()
          .onComplete(
              body ->
                  guard(
                      () -> {
                        if (record.isSettled()) {
                          return;
                        }
                        if (body.failed()) {
                          attemptFailed(attempt, AttemptFailure.transport(body.cause(), provider));
                          return;
                        }
                        UpstreamError answer =
                            codec.upstreamError(status, upstreamResponse.headers(), body.result());
                        if (attempt.apiKey() != null && UpstreamErrors.refusesKey(status)) {
                          keyRejected(attempt, answer.error());
                        } else {
                          long retryAfter =
                              resilience.policy().retryAfterMs(upstreamResponse.headers());
                          attemptFailed(attempt, AttemptFailure.answered(answer, retryAfter));
                        }
                      }));
    } else if (call.stream()) {
      relaying = true;
      relay.stream(upstreamResponse, limited(codec.streamTranslator()), attempt, exchange);
    } else {
      relaying = true;
      relay.whole(upstreamResponse, codec, attempt);
    }
  }

  /** Caps the stream at the output the budget reserved, for a key whose spend is limited. */
  private StreamTranslator limited(StreamTranslator translator) {
    if (!call.endpoint().producesText()) {
      return translator; // audio and transcript streams are not cut by output tokens
    }
    AdmissionTicket ticket = record.ticket();
    Long limit = ticket == null ? null : ticket.outputTokenLimit();
    return limit == null ? translator : new OutputLimit(translator, limit, call);
  }

  /** The provider rejected the key this attempt carried: next key, same deployment, at once. */
  private void keyRejected(Attempt attempt, GatewayError error) {
    Deployment deployment = attempt.deployment();
    ApiKeyRing keys = deployment.provider().keys();
    boolean moreKeys = keys.refused(attempt.apiKey(), deployment.provider().name(), "a call");
    Candidate candidate = attempt.candidate();
    if (moreKeys) {
      attempt.abandoned();
      CircuitPermit permit = candidate.state().tryAcquire();
      if (permit != null) {
        startAttempt(candidate, permit);
      } else {
        tryNextCandidate(error);
      }
    } else {
      attempt.failed(error);
      tryNextCandidate(error);
    }
  }

  @Override
  public void attemptFailed(Attempt attempt, AttemptFailure failure) {
    relaying = false;
    GatewayError error = failure.error();
    Candidate candidate = attempt.candidate();
    switch (failure.course()) {
      case ANSWER_CALLER -> {
        attempt.refused();
        relay.fail(error);
        return;
      }
      case TRY_ELSEWHERE -> {
        attempt.failed(error);
        retries.notWorthRetrying(candidate);
      }
      case RETRY -> {
        attempt.failed(error);
        if (resilience.policy().worthWaiting(failure.retryAfterMs())) {
          retries.worthRetrying(candidate, failure.retryAfterMs());
        } else {
          retries.notWorthRetrying(candidate);
        }
      }
    }
    tryNextCandidate(error);
  }

  @Override
  public void answerBegun() {
    deadline.stop();
  }

  private void onCallerGone() {
    // A connection closed right after a complete response (Connection: close) is not a caller
    // leaving early.
    if (record.isSettled() || relay.ended()) {
      return;
    }
    if (attempt != null) {
      attempt.abandoned();
    }
    // Settle before cancelling: the cancel reports back as a stream failure, which must not turn
    // a caller who left into a failed stream.
    relay.callerGone();
    if (current != null) {
      current.cancel();
    }
  }

  /**
   * Runs a step of this call; a bug in it must not leave the caller hanging: the call answers 500
   * (or its stream ends with an error event), the upstream call is cancelled, and the log says why.
   */
  @Override
  public void guard(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      log.error("Request {} failed inside the gateway", record.requestId(), e);
      if (record.isSettled()) {
        return;
      }
      if (attempt != null) {
        attempt.abandoned();
      }
      relay.failInside(
          GatewayError.internal(
              "The gateway failed to handle this request "
                  + "(request id "
                  + record.requestId()
                  + ")."));
      if (current != null) {
        current.cancel();
      }
    }
  }
}
