package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamFailure;
import dev.conduit.route.Router.Candidate;

/**
 * Why an attempt failed, as the caller would see it, and what the attempt loop may do about it. The
 * factories map each way an attempt fails (an error answer, a broken connection or timeout, a
 * request the adapter could not prepare, an answer that does not read) to one {@link Course}.
 *
 * @param error what the caller sees if no other attempt serves
 * @param course what the attempt loop may do next
 * @param retryAfterMs how long the provider asked to wait before this deployment is tried again
 *     (its Retry-After), or -1
 */
record AttemptFailure(GatewayError error, Course course, long retryAfterMs) {

  /** What the attempt loop may do after a failed attempt. */
  enum Course {
    /** The provider answered and refused the request: the caller's to fix. No other attempt. */
    ANSWER_CALLER,
    /** Another deployment may serve; this one would fail the same way however long one waits. */
    TRY_ELSEWHERE,
    /** Another deployment may serve, and this one again after a backoff. */
    RETRY
  }

  /**
   * A provider's error answer, by its kind: refused credentials are tried elsewhere, a rate limit
   * or a passing failure is retried (after {@code retryAfterMs}, the answer's Retry-After),
   * anything else goes to the caller.
   */
  static AttemptFailure answered(UpstreamError answer, long retryAfterMs) {
    return switch (answer.kind()) {
      case AUTH_REJECTED -> new AttemptFailure(answer.error(), Course.TRY_ELSEWHERE, -1);
      case RATE_LIMITED, RETRYABLE ->
          new AttemptFailure(answer.error(), Course.RETRY, retryAfterMs);
      case CLIENT_ERROR, UNEXPECTED -> new AttemptFailure(answer.error(), Course.ANSWER_CALLER, -1);
    };
  }

  /**
   * An error with no answer behind it (a broken stream, an error event): retried if it may pass.
   */
  static AttemptFailure of(GatewayError error) {
    return new AttemptFailure(error, error.isRetryable() ? Course.RETRY : Course.ANSWER_CALLER, -1);
  }

  /** The call to {@code provider} got no usable response (connection, timeout, cancellation). */
  static AttemptFailure transport(Throwable cause, String provider) {
    return of(errorFor(cause, provider));
  }

  /** The deployment's 2xx answer does not follow its protocol. */
  static AttemptFailure unreadable(InvalidUpstreamResponse cause, String provider) {
    return of(GatewayError.upstreamInvalid(provider, cause.getMessage()));
  }

  /**
   * The adapter could not prepare the request. A {@link GatewayException} is its verdict on this
   * deployment (refused credentials, a region without an endpoint, a feature it cannot express):
   * trying it again would not change it.
   */
  static AttemptFailure notPrepared(Throwable cause, String provider) {
    if (cause instanceof GatewayException known) {
      GatewayError error = known.error();
      return new AttemptFailure(
          error, error.isRetryable() ? Course.TRY_ELSEWHERE : Course.ANSWER_CALLER, -1);
    }
    return of(
        GatewayError.upstreamUnreachable(
            provider, "could not prepare the request: " + cause.getMessage()));
  }

  /** The error when no deployment could be tried because {@code candidate}'s circuit is open. */
  static GatewayError circuitOpen(Candidate candidate) {
    return GatewayError.unavailable(
        "circuit_open",
        "Deployment '"
            + candidate.deployment().id()
            + "' is shedding load after repeated failures (its "
            + "circuit is open); no other deployment could serve.");
  }

  private static GatewayError errorFor(Throwable cause, String provider) {
    if (cause instanceof UpstreamFailure failure) {
      return switch (failure.kind()) {
        case CONNECT_TIMEOUT ->
            GatewayError.upstreamTimeout(provider, "connect", failure.limitMs());
        case FIRST_BYTE_TIMEOUT ->
            GatewayError.upstreamTimeout(provider, "first byte", failure.limitMs());
        case IDLE_TIMEOUT -> GatewayError.upstreamTimeout(provider, "idle", failure.limitMs());
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
}
