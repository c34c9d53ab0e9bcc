package dev.conduit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.pipeline.AttemptFailure.Course;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamFailure;
import org.junit.jupiter.api.Test;

/** Each way an attempt fails, and what the attempt loop may do about it. */
class AttemptFailureTest {

  @Test
  void anErrorAnswerIsHandledByItsKind() {
    UpstreamError refused = UpstreamErrors.credentialsRejected("p", 401, null, "bad key");
    assertThat(AttemptFailure.answered(refused, 5_000))
        .isEqualTo(new AttemptFailure(refused.error(), Course.TRY_ELSEWHERE, -1));

    UpstreamError limited = answer(429, UpstreamError.Kind.RATE_LIMITED);
    assertThat(AttemptFailure.answered(limited, 2_000))
        .isEqualTo(new AttemptFailure(limited.error(), Course.RETRY, 2_000));

    UpstreamError overloaded = answer(529, UpstreamError.Kind.RETRYABLE);
    assertThat(AttemptFailure.answered(overloaded, -1).course()).isEqualTo(Course.RETRY);

    assertThat(AttemptFailure.answered(answer(400, UpstreamError.Kind.CLIENT_ERROR), -1).course())
        .isEqualTo(Course.ANSWER_CALLER);
    assertThat(AttemptFailure.answered(answer(501, UpstreamError.Kind.UNEXPECTED), -1).course())
        .isEqualTo(Course.ANSWER_CALLER);
  }

  @Test
  void noAnswerAtAllIsRetriedAndSaysWhatHappened() {
    AttemptFailure timeout =
        AttemptFailure.transport(
            new UpstreamFailure(UpstreamFailure.Kind.FIRST_BYTE_TIMEOUT, "slow", 3_000), "p");
    assertThat(timeout.course()).isEqualTo(Course.RETRY);
    assertThat(timeout.error().status()).isEqualTo(504);
    assertThat(timeout.error().message()).contains("first byte timeout of 3000 ms");

    AttemptFailure closed =
        AttemptFailure.transport(
            new UpstreamFailure(UpstreamFailure.Kind.CONNECTION_CLOSED, "reset", -1), "p");
    assertThat(closed.error().code()).isEqualTo("upstream_invalid_response");
    assertThat(closed.course()).isEqualTo(Course.RETRY);

    AttemptFailure unreadable =
        AttemptFailure.unreadable(new InvalidUpstreamResponse("no choices"), "p");
    assertThat(unreadable.error().status()).isEqualTo(502);
    assertThat(unreadable.course()).isEqualTo(Course.RETRY);
  }

  @Test
  void aRequestTheAdapterCouldNotPrepareIsNotTriedThereAgain() {
    GatewayError noToken = UpstreamErrors.authFailed("Provider 'p' could not get an access token");
    assertThat(AttemptFailure.notPrepared(new GatewayException(noToken), "p"))
        .isEqualTo(new AttemptFailure(noToken, Course.TRY_ELSEWHERE, -1));

    GatewayException unsupported = GatewayException.unsupported("p", "log probabilities", "n");
    assertThat(AttemptFailure.notPrepared(unsupported, "p").course())
        .isEqualTo(Course.ANSWER_CALLER);

    AttemptFailure bug = AttemptFailure.notPrepared(new IllegalStateException("oops"), "p");
    assertThat(bug.course()).isEqualTo(Course.RETRY);
    assertThat(bug.error().message()).contains("could not prepare the request: oops");
  }

  @Test
  void anErrorWithoutAnAnswerIsRetriedOnlyIfItMayPass() {
    assertThat(AttemptFailure.of(GatewayError.upstreamInvalid("p", "cut")).course())
        .isEqualTo(Course.RETRY);
    assertThat(
            AttemptFailure.of(new GatewayError(400, "invalid_request_error", "x", "m", null))
                .course())
        .isEqualTo(Course.ANSWER_CALLER);
  }

  private static UpstreamError answer(int status, UpstreamError.Kind kind) {
    return new UpstreamError(kind, new GatewayError(status, "upstream_error", "c", "m", null));
  }
}
