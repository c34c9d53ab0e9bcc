package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamExchange;
import dev.conduit.provider.UpstreamFailure;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamResponse;
import dev.conduit.route.Deployment;
import dev.conduit.route.Router;
import dev.conduit.route.Router.Candidate;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's life after admission: attempts over the planned deployments until one answers, then
 * relay of its answer (whole or streamed) and settlement. Runs on the request's event loop.
 *
 * <p>The attempt loop: the first pass tries each candidate once, in plan order, moving on at once
 * after a retryable failure (connection error, timeout, 408, 429, 5xx, 529). Then up to {@code
 * plan.retries()} more attempts go back to candidates that failed that way, each after an
 * exponential backoff with jitter that is never shorter than the provider's Retry-After. A
 * candidate whose circuit is open is skipped without an attempt. A provider key rejected with
 * 401/403 is taken out of rotation and the same deployment is tried at once with the next key.
 *
 * <p>Once the first streamed byte is out, a failure ends the stream with an error event: no retry.
 */
final class ProxyCall {
  private static final Logger log = LoggerFactory.getLogger(ProxyCall.class);
  static final String PROVIDER_HEADER = "X-Provider-Used";
  static final String ATTEMPTS_HEADER = "X-Conduit-Attempts";

  private final InboundCall call;
  private final Router.Plan plan;
  private final CallRecord record;
  private final HttpServerResponse response;
  private final UpstreamClient upstream;
  private final CallCodecs codecs;
  private final CallSettler settler;
  private final ErrorFormat errors;
  private final Resilience resilience;
  private final Vertx vertx;

  private int nextCandidate;
  private int retriesLeft;
  private int retriesDone;

  /** Candidates that failed in a way worth retrying, in the order they failed. */
  private final List<Candidate> retryable = new ArrayList<>();

  private final Map<Candidate, Long> retryAfterMs = new IdentityHashMap<>();
  private String currentAlias;
  private Attempt attempt;
  private UpstreamExchange current;

  /** The translator of the stream being relayed; null when none (or it was abandoned). */
  private StreamTranslator streaming;

  private boolean streamStarted;

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
      Vertx vertx) {
    this.call = call;
    this.plan = plan;
    this.record = record;
    this.response = response;
    this.upstream = upstream;
    this.codecs = codecs;
    this.settler = settler;
    this.errors = errors;
    this.resilience = resilience;
    this.vertx = vertx;
    this.retriesLeft = plan.retries();
    this.currentAlias = plan.route().alias();
  }

  void start() {
    response.closeHandler(v -> onCallerGone());
    tryNextCandidate(null);
  }

  /** First pass: the next candidate whose circuit lets a call through. */
  private void tryNextCandidate(GatewayError previousError) {
    if (record.isSettled()) {
      return;
    }
    GatewayError error = previousError;
    while (nextCandidate < plan.candidates().size()) {
      Candidate candidate = plan.candidates().get(nextCandidate++);
      if (candidate.state().breaker().tryAcquirePermission()) {
        startAttempt(candidate);
        return;
      }
      if (error == null) {
        error = circuitOpen(candidate);
      }
    }
    retryOrFail(error);
  }

  /** After the first pass: back to a candidate that failed, after a backoff, or give up. */
  private void retryOrFail(GatewayError error) {
    if (retriesLeft <= 0 || retryable.isEmpty()) {
      fail(error);
      return;
    }
    retriesLeft--;
    retriesDone++;
    Candidate candidate = retryable.get((retriesDone - 1) % retryable.size());
    long delay =
        resilience.policy().delayMs(retriesDone, retryAfterMs.getOrDefault(candidate, -1L));
    resilience
        .timer()
        .schedule(
            vertx,
            delay,
            () -> {
              if (record.isSettled()) {
                return;
              }
              if (candidate.state().breaker().tryAcquirePermission()) {
                startAttempt(candidate);
              } else {
                retryOrFail(circuitOpen(candidate));
              }
            });
  }

  private void startAttempt(Candidate candidate) {
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
    Attempt started = new Attempt(candidate);
    attempt = started;
    candidate.state().callStarted();
    CallCodec codec;
    try {
      codec = codecs.forAttempt(call, deployment);
    } catch (GatewayException e) {
      endAttempt(started, Result.NOT_CALLED, e.error());
      fail(e.error());
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
                        if (built.cause() instanceof GatewayException known) {
                          // The adapter's verdict on this deployment (refused credentials, a
                          // region without an endpoint): trying it again would not change it.
                          attemptFailed(started, known.error(), -1, false);
                        } else {
                          attemptFailed(
                              started,
                              GatewayError.upstreamUnreachable(
                                  deployment.provider().name(),
                                  "could not prepare the request: " + built.cause().getMessage()),
                              -1);
                        }
                        return;
                      }
                      send(built.result(), codec, started);
                    }));
  }

  private void send(UpstreamRequest request, CallCodec codec, Attempt attempt) {
    attempt.apiKey = request.apiKey();
    current = upstream.send(request, attempt.deployment().upstreamOptions());
    current.response().onComplete(result -> guard(() -> onResponse(result, codec, attempt)));
  }

  private void onResponse(AsyncResult<UpstreamResponse> result, CallCodec codec, Attempt attempt) {
    if (record.isSettled()) {
      return;
    }
    Deployment deployment = attempt.deployment();
    if (result.failed()) {
      attemptFailed(attempt, errorFor(result.cause(), deployment), -1);
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
                          attemptFailed(attempt, errorFor(body.cause(), deployment), -1);
                          return;
                        }
                        UpstreamError error =
                            codec.upstreamError(status, upstreamResponse.headers(), body.result());
                        if (UpstreamErrors.refusesKey(status) && attempt.apiKey != null) {
                          keyRejected(attempt, error.error());
                        } else {
                          attemptFailed(
                              attempt,
                              error.error(),
                              resilience.policy().retryAfterMs(upstreamResponse.headers()),
                              error.kind() != UpstreamError.Kind.AUTH_REJECTED);
                        }
                      }));
    } else if (call.stream()) {
      relayStream(upstreamResponse, codec, attempt);
    } else {
      relayWhole(upstreamResponse, codec, attempt);
    }
  }

  private void relayWhole(UpstreamResponse upstreamResponse, CallCodec codec, Attempt attempt) {
    Deployment deployment = attempt.deployment();
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
                        attemptFailed(attempt, errorFor(body.cause(), deployment), -1);
                        return;
                      }
                      TranslatedBody translated;
                      try {
                        translated = codec.translateBody(body.result());
                      } catch (InvalidUpstreamResponse e) {
                        attemptFailed(
                            attempt,
                            GatewayError.upstreamInvalid(
                                deployment.provider().name(), e.getMessage()),
                            -1);
                        return;
                      } catch (GatewayException e) {
                        attemptFailed(attempt, e.error(), -1);
                        return;
                      }
                      endAttempt(attempt, Result.SUCCEEDED, null);
                      record.usage(translated.usage());
                      if (response.closed()) {
                        settler.clientClosed(record);
                        return;
                      }
                      answeredBy(deployment);
                      String cost = settler.costHeader(record);
                      if (cost != null) {
                        response.putHeader(CallSettler.COST_HEADER, cost);
                      }
                      response
                          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                          .setStatusCode(200)
                          .end(translated.body());
                      settler.succeeded(record, 200);
                    }));
  }

  private void relayStream(UpstreamResponse upstreamResponse, CallCodec codec, Attempt attempt) {
    Deployment deployment = attempt.deployment();
    StreamTranslator translator = codec.streamTranslator();
    streaming = translator;
    upstreamResponse.stream(
        chunk ->
            guard(
                () -> {
                  if (record.isSettled() || streaming != translator) {
                    return;
                  }
                  translator.onBytes(chunk, bytes -> writeStreamed(bytes, deployment));
                  GatewayError broken = translator.broken();
                  if (broken != null) {
                    // Stop reading this upstream; fail over if the caller has seen nothing yet.
                    streaming = null;
                    record.usage(translator.usage());
                    current.cancel();
                    streamBroke(attempt, broken);
                    return;
                  }
                  if (response.writeQueueFull()) {
                    upstreamResponse.pause();
                    response.drainHandler(v -> upstreamResponse.resume());
                  }
                }),
        end ->
            guard(
                () -> {
                  if (record.isSettled() || streaming != translator) {
                    return;
                  }
                  GatewayError incomplete =
                      translator.onEnd(bytes -> writeStreamed(bytes, deployment));
                  record.usage(translator.usage());
                  if (incomplete != null) {
                    streamBroke(attempt, incomplete);
                  } else {
                    response.end();
                    GatewayError upstreamError = translator.upstreamError();
                    if (upstreamError != null) {
                      endAttempt(attempt, Result.FAILED, upstreamError);
                      settler.streamFailed(record, upstreamError);
                    } else {
                      endAttempt(attempt, Result.SUCCEEDED, null);
                      settler.succeeded(record, 200);
                    }
                  }
                }),
        failure ->
            guard(
                () -> {
                  if (record.isSettled() || streaming != translator) {
                    return;
                  }
                  record.usage(translator.usage());
                  streamBroke(attempt, errorFor(failure, deployment));
                }));
  }

  private void writeStreamed(Buffer bytes, Deployment deployment) {
    if (response.closed()) {
      return;
    }
    if (!streamStarted) {
      streamStarted = true;
      answeredBy(deployment);
      response
          .setStatusCode(200)
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Accel-Buffering", "no");
    }
    response.write(bytes);
  }

  /** A stream failed: retry elsewhere if the caller has seen nothing, else tell the caller. */
  private void streamBroke(Attempt attempt, GatewayError error) {
    if (!streamStarted) {
      attemptFailed(attempt, error, -1);
      return;
    }
    endAttempt(attempt, Result.FAILED, error);
    log.warn(
        "Stream from {} failed after it reached the caller; not retried: {}",
        attempt.deployment().id(),
        error.message());
    if (!response.closed()) {
      response.end(errors.streamEvent(error));
    }
    settler.streamFailed(record, error);
  }

  /** The provider rejected the key this attempt carried: next key, same deployment, at once. */
  private void keyRejected(Attempt attempt, GatewayError error) {
    ApiKeyRing keys = attempt.deployment().provider().keys();
    boolean moreKeys =
        keys.refused(attempt.apiKey, attempt.deployment().provider().name(), "a call");
    Candidate candidate = attempt.candidate;
    if (moreKeys) {
      endAttempt(attempt, Result.NOT_CALLED, error);
      if (candidate.state().breaker().tryAcquirePermission()) {
        startAttempt(candidate);
      } else {
        tryNextCandidate(error);
      }
    } else {
      endAttempt(attempt, Result.FAILED, error);
      tryNextCandidate(error);
    }
  }

  private void attemptFailed(Attempt attempt, GatewayError error, long retryAfter) {
    attemptFailed(attempt, error, retryAfter, true);
  }

  /**
   * @param sameMayServe false when this deployment will fail the same way however long one waits
   *     (its credentials were refused)
   */
  private void attemptFailed(
      Attempt attempt, GatewayError error, long retryAfter, boolean sameMayServe) {
    if (!error.isRetryable()) {
      // The provider answered; the request itself was refused: the caller's to fix.
      endAttempt(attempt, Result.REFUSED, error);
      fail(error);
      return;
    }
    endAttempt(attempt, Result.FAILED, error);
    Candidate candidate = attempt.candidate;
    boolean sameMayWork = sameMayServe && resilience.policy().worthWaiting(retryAfter);
    if (sameMayWork) {
      if (!retryable.contains(candidate)) {
        retryable.add(candidate);
      }
      if (retryAfter >= 0) {
        retryAfterMs.put(candidate, retryAfter);
      }
    } else {
      retryable.remove(candidate);
    }
    tryNextCandidate(error);
  }

  /** Closes the books on one attempt: circuit breaker, in-flight count, passive health. */
  private void endAttempt(Attempt attempt, Result result, GatewayError error) {
    if (attempt.ended) {
      return;
    }
    attempt.ended = true;
    Candidate candidate = attempt.candidate;
    candidate.state().callEnded();
    long elapsed = System.nanoTime() - attempt.startNanos;
    long latencyMs =
        TimeUnit.NANOSECONDS.toMillis(
            attempt.responseNanos > 0 ? attempt.responseNanos - attempt.startNanos : elapsed);
    String provider = candidate.deployment().provider().name();
    switch (result) {
      case SUCCEEDED, REFUSED -> {
        candidate.state().breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
        candidate.state().recordLatency(latencyMs);
        resilience.health().recordCall(provider, false, latencyMs, null);
      }
      case FAILED -> {
        candidate
            .state()
            .breaker()
            .onError(
                elapsed,
                TimeUnit.NANOSECONDS,
                new AttemptFailed(error == null ? "failed" : error.message()));
        resilience
            .health()
            .recordCall(provider, true, latencyMs, error == null ? "failed" : error.message());
      }
      case NOT_CALLED -> candidate.state().breaker().releasePermission();
    }
  }

  private void fail(GatewayError error) {
    if (error == null) {
      error = GatewayError.internal("No deployment could be tried.");
    }
    if (response.closed()) {
      settler.clientClosed(record);
      return;
    }
    if (record.deployment() != null) {
      response.putHeader(PROVIDER_HEADER, record.deployment().id());
    }
    response.putHeader(ATTEMPTS_HEADER, Integer.toString(record.attempts()));
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .setStatusCode(error.status())
        .end(errors.body(error));
    settler.failed(record, error);
  }

  private void answeredBy(Deployment deployment) {
    response.putHeader(PROVIDER_HEADER, deployment.id());
    response.putHeader(ATTEMPTS_HEADER, Integer.toString(record.attempts()));
  }

  private void onCallerGone() {
    // A connection closed right after a complete response (Connection: close) is not a caller
    // leaving early.
    if (record.isSettled() || response.ended()) {
      return;
    }
    if (attempt != null) {
      endAttempt(attempt, Result.NOT_CALLED, null);
    }
    if (streaming != null) {
      record.usage(streaming.usage()); // the tokens produced before the caller left
    }
    // Settle before cancelling: the cancel reports back as a stream failure, which must not turn
    // a caller who left into a failed stream.
    settler.clientClosed(record);
    if (current != null) {
      current.cancel();
    }
  }

  /**
   * Runs a step of this call; a bug in it must not leave the caller hanging: the call answers 500
   * (or its stream ends with an error event), the upstream call is cancelled, and the log says why.
   */
  private void guard(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      log.error("Request {} failed inside the gateway", record.requestId(), e);
      if (record.isSettled()) {
        return;
      }
      if (attempt != null) {
        endAttempt(attempt, Result.NOT_CALLED, null);
      }
      streaming = null;
      GatewayError error =
          GatewayError.internal(
              "The gateway failed to handle this request "
                  + "(request id "
                  + record.requestId()
                  + ").");
      if (streamStarted) {
        if (!response.closed()) {
          response.end(errors.streamEvent(error));
        }
        settler.streamFailed(record, error);
      } else {
        fail(error);
      }
      if (current != null) {
        current.cancel();
      }
    }
  }

  private static GatewayError circuitOpen(Candidate candidate) {
    return GatewayError.unavailable(
        "circuit_open",
        "Deployment '"
            + candidate.deployment().id()
            + "' is shedding load after repeated failures (its "
            + "circuit is open); no other deployment could serve.");
  }

  private static GatewayError errorFor(Throwable cause, Deployment deployment) {
    String provider = deployment.provider().name();
    if (cause instanceof UpstreamFailure failure) {
      return switch (failure.kind()) {
        case CONNECT_TIMEOUT ->
            GatewayError.upstreamTimeout(provider, "connect", failure.limitMs());
        case FIRST_BYTE_TIMEOUT ->
            GatewayError.upstreamTimeout(provider, "first byte", failure.limitMs());
        case TOTAL_TIMEOUT -> GatewayError.upstreamTimeout(provider, "total", failure.limitMs());
        case CONNECT_FAILED -> GatewayError.upstreamUnreachable(provider, failure.getMessage());
        case CONNECTION_CLOSED ->
            GatewayError.upstreamInvalid(
                provider,
                "the connection closed before the response was complete ("
                    + failure.getMessage()
                    + ")");
        case CANCELLED -> GatewayError.upstreamUnreachable(provider, "call cancelled");
      };
    }
    return GatewayError.upstreamUnreachable(provider, String.valueOf(cause.getMessage()));
  }

  /** How an attempt ended, for its circuit breaker and the provider's health. */
  private enum Result {
    /** The deployment answered well. */
    SUCCEEDED,
    /** The deployment answered, refusing the request (4xx): not the deployment's fault. */
    REFUSED,
    /** The deployment failed: counts toward opening its circuit. */
    FAILED,
    /** No judgement: the call was abandoned or never made. */
    NOT_CALLED
  }

  /** One attempt at one candidate. */
  private static final class Attempt {
    final Candidate candidate;
    final long startNanos = System.nanoTime();
    long responseNanos;
    String apiKey;
    boolean ended;

    Attempt(Candidate candidate) {
      this.candidate = candidate;
    }

    Deployment deployment() {
      return candidate.deployment();
    }

    void responded() {
      responseNanos = System.nanoTime();
    }
  }

  /** What the circuit breaker records for a failed attempt. */
  private static final class AttemptFailed extends RuntimeException {
    AttemptFailed(String message) {
      super(message, null, false, false);
    }
  }
}
