package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.route.CircuitPermit;
import dev.conduit.route.Deployment;
import dev.conduit.route.ProviderHealth;
import dev.conduit.route.Router.Candidate;
import java.util.concurrent.TimeUnit;

/**
 * One attempt at one candidate deployment, and its books: the deployment's calls in flight, circuit
 * breaker and latency average, and the provider's passive health. Started once the candidate's
 * circuit breaker let the call through; closed exactly once, by how it ended (later closings are
 * ignored). Used on the request's event loop only.
 */
final class Attempt {
  private final Candidate candidate;
  private final CircuitPermit permit;
  private final ProviderHealth health;
  private final long startNanos = System.nanoTime();
  private long responseNanos;
  private String apiKey;
  private boolean ended;

  /** Starts an attempt at {@code candidate}, whose circuit breaker granted {@code permit}. */
  Attempt(Candidate candidate, CircuitPermit permit, ProviderHealth health) {
    this.candidate = candidate;
    this.permit = permit;
    this.health = health;
    candidate.state().callStarted();
  }

  Candidate candidate() {
    return candidate;
  }

  Deployment deployment() {
    return candidate.deployment();
  }

  /** The provider key the request carries, or null when none. */
  String apiKey() {
    return apiKey;
  }

  void carries(String apiKey) {
    this.apiKey = apiKey;
  }

  /** The deployment's response began: its latency is measured to here. */
  void responded() {
    responseNanos = System.nanoTime();
  }

  /** The deployment answered well. */
  void succeeded() {
    end(Result.SUCCEEDED, null);
  }

  /** The deployment answered, refusing the request (4xx): not the deployment's fault. */
  void refused() {
    end(Result.REFUSED, null);
  }

  /** The deployment failed: counts toward opening its circuit. */
  void failed(GatewayError error) {
    end(Result.FAILED, error);
  }

  /** No judgement: the call was abandoned or never made. */
  void abandoned() {
    end(Result.NOT_CALLED, null);
  }

  private void end(Result result, GatewayError error) {
    if (ended) {
      return;
    }
    ended = true;
    candidate.state().callEnded();
    long elapsed = System.nanoTime() - startNanos;
    long latencyMs =
        TimeUnit.NANOSECONDS.toMillis(responseNanos > 0 ? responseNanos - startNanos : elapsed);
    String provider = candidate.deployment().provider().name();
    switch (result) {
      case SUCCEEDED, REFUSED -> {
        permit.succeeded(elapsed);
        candidate.state().recordLatency((double) latencyMs);
        health.recordCall(provider, false, latencyMs, null);
      }
      case FAILED -> {
        String why = error == null ? "failed" : error.message();
        permit.failed(elapsed, new AttemptFailed(why));
        health.recordCall(provider, true, latencyMs, why);
      }
      case NOT_CALLED -> permit.released();
    }
  }

  /** How an attempt ended, for its circuit breaker and the provider's health. */
  private enum Result {
    SUCCEEDED,
    REFUSED,
    FAILED,
    NOT_CALLED
  }

  /** What the circuit breaker records for a failed attempt. */
  private static final class AttemptFailed extends RuntimeException {
    AttemptFailed(String message) {
      super(message, null, false, false);
    }
  }
}
