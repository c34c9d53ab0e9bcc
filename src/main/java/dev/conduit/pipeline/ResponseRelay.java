package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.UpstreamExchange;
import dev.conduit.provider.UpstreamResponse;
import dev.conduit.route.Deployment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the caller's response and settles the call as it does: a deployment's successful answer,
 * whole or streamed (translated as it arrives, with back-pressure), or the error the call ends
 * with. Headers say which deployment answered after how many attempts. A failure before anything
 * reached the caller goes back to the {@link AttemptLoop}; after the first streamed byte the stream
 * ends with an error event instead. Used on the request's event loop only.
 *
 * <p>A call is settled (its spend charged, its log row queued) before its response is ended, never
 * after: once the last response ends, a stopping gateway closes its request-log writer, and a row
 * queued after that would be lost. It also means the caller's next request sees its limits settled.
 */
final class ResponseRelay {
  private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);
  static final String PROVIDER_HEADER = "X-Provider-Used";
  static final String ATTEMPTS_HEADER = "X-Conduit-Attempts";

  /** The attempt loop, as the relay reports back to it. */
  interface AttemptLoop {
    /** Runs a step of the call so that a bug in it answers the caller instead of hanging. */
    void guard(Runnable step);

    /** {@code attempt} failed before anything reached the caller; the loop decides what next. */
    void attemptFailed(Attempt attempt, AttemptFailure failure);

    /** The caller's answer began (its first byte is out) or the call ended. */
    void answerBegun();
  }

  private final CallRecord record;
  private final HttpServerResponse response;
  private final CallSettler settler;
  private final ErrorFormat errors;
  private final AttemptLoop loop;

  /** Stores the answer in the response cache; null when the call does not write the cache. */
  private final CacheRecorder recorder;

  /** The translator of the stream being relayed; null when none (or it was abandoned). */
  private StreamTranslator streaming;

  private boolean streamStarted;

  /** The {@code Content-Type} of the stream being relayed. */
  private String streamContentType;

  ResponseRelay(
      CallRecord record,
      HttpServerResponse response,
      CallSettler settler,
      ErrorFormat errors,
      AttemptLoop loop,
      CacheRecorder recorder) {
    this.recorder = recorder;
    this.record = record;
    this.response = response;
    this.settler = settler;
    this.errors = errors;
    this.loop = loop;
  }

  /** Runs {@code gone} when the caller's connection closes. */
  void onCallerGone(Runnable gone) {
    response.closeHandler(v -> gone.run());
  }

  /** Whether the response is complete (a close after that is not a caller leaving early). */
  boolean ended() {
    return response.ended();
  }

  /** Relays a successful non-streamed answer, translated into the caller's protocol. */
  void whole(UpstreamResponse upstreamResponse, CallCodec codec, Attempt attempt) {
    Deployment deployment = attempt.deployment();
    String provider = deployment.provider().name();
    upstreamResponse
        .body()
        .onComplete(
            body ->
                loop.guard(
                    () -> {
                      if (record.isSettled()) {
                        return;
                      }
                      if (body.failed()) {
                        loop.attemptFailed(
                            attempt, AttemptFailure.transport(body.cause(), provider));
                        return;
                      }
                      TranslatedBody translated;
                      try {
                        translated = codec.translateBody(body.result());
                      } catch (InvalidUpstreamResponse e) {
                        loop.attemptFailed(attempt, AttemptFailure.unreadable(e, provider));
                        return;
                      } catch (GatewayException e) {
                        loop.attemptFailed(attempt, AttemptFailure.of(e.error()));
                        return;
                      }
                      attempt.succeeded();
                      record.usage(translated.usage());
                      if (translated.units() != null) {
                        record.units(translated.units());
                      }
                      if (translated.unitVariant() != null) {
                        record.unitVariant(translated.unitVariant());
                      }
                      loop.answerBegun();
                      if (response.closed()) {
                        settler.clientClosed(record);
                        return;
                      }
                      answeredBy(deployment);
                      String cost = settler.costHeader(record);
                      if (cost != null) {
                        response.putHeader(CallSettler.COST_HEADER, cost);
                      }
                      if (recorder != null) {
                        // Stored before the caller has it: the caller's next request finds it.
                        recorder.wholeAnswered(translated);
                      }
                      // Settled before the answer is ended (see the class comment).
                      settler.succeeded(record, 200);
                      response
                          .putHeader(
                              HttpHeaders.CONTENT_TYPE,
                              contentType(codec, upstreamResponse, translated))
                          .setStatusCode(200)
                          .end(translated.body());
                    }));
  }

  /**
   * Relays a successful streamed answer through {@code translator}, event by event, pausing the
   * upstream while the caller's connection is full. {@code exchange} is cancelled when the stream
   * breaks.
   */
  void stream(
      UpstreamResponse upstreamResponse,
      StreamTranslator translator,
      Attempt attempt,
      UpstreamExchange exchange) {
    Deployment deployment = attempt.deployment();
    streaming = translator;
    streamContentType = translator.contentType(upstreamResponse.headers());
    upstreamResponse.stream(
        chunk ->
            loop.guard(
                () -> {
                  if (record.isSettled() || streaming != translator) {
                    return;
                  }
                  translator.onBytes(chunk, bytes -> writeStreamed(bytes, deployment));
                  GatewayError broken = translator.broken();
                  if (broken != null) {
                    // Stop reading this upstream; fail over if the caller has seen nothing yet.
                    streaming = null;
                    settleUsage(translator);
                    exchange.cancel();
                    streamBroke(attempt, broken);
                    return;
                  }
                  if (translator.cutShort()) {
                    // The caller's stream is complete: stop reading the rest of the upstream's.
                    streaming = null;
                    settleUsage(translator);
                    exchange.cancel();
                    attempt.succeeded();
                    settler.succeeded(record, 200);
                    if (!response.closed()) {
                      response.end();
                    }
                    return;
                  }
                  if (response.writeQueueFull()) {
                    upstreamResponse.pause();
                    response.drainHandler(v -> upstreamResponse.resume());
                  }
                }),
        end ->
            loop.guard(
                () -> {
                  if (record.isSettled() || streaming != translator) {
                    return;
                  }
                  GatewayError incomplete =
                      translator.onEnd(bytes -> writeStreamed(bytes, deployment));
                  settleUsage(translator);
                  if (incomplete != null) {
                    streamBroke(attempt, incomplete);
                  } else {
                    GatewayError upstreamError = translator.upstreamError();
                    if (upstreamError == null && recorder != null) {
                      // Priced and stored before the caller's stream ends: its next request finds
                      // it. Settling reuses the price.
                      settler.costHeader(record);
                      recorder.streamAnswered();
                    }
                    if (upstreamError != null) {
                      attempt.failed(upstreamError);
                      settler.streamFailed(record, upstreamError);
                    } else {
                      attempt.succeeded();
                      settler.succeeded(record, 200);
                    }
                    response.end();
                  }
                }),
        failure ->
            loop.guard(
                () -> {
                  if (record.isSettled() || streaming != translator) {
                    return;
                  }
                  settleUsage(translator);
                  streamBroke(
                      attempt, AttemptFailure.transport(failure, deployment.provider().name()));
                }));
  }

  /** Ends the call with {@code error} (a 500 when null): no deployment served. */
  void fail(GatewayError error) {
    loop.answerBegun();
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
    settler.failed(record, error);
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .setStatusCode(error.status())
        .end(errors.body(error));
  }

  /** The caller left: settles the call with the tokens streamed to it so far. */
  void callerGone() {
    loop.answerBegun();
    if (streaming != null) {
      settleUsage(streaming); // the tokens produced before the caller left
    }
    settler.clientClosed(record);
  }

  /**
   * The gateway failed to handle the call: answers {@code error}, or ends a started stream with it;
   * a stream being relayed is abandoned.
   */
  void failInside(GatewayError error) {
    streaming = null;
    if (streamStarted) {
      settler.streamFailed(record, error);
      if (!response.closed()) {
        response.end(errors.streamEvent(error));
      }
    } else {
      fail(error);
    }
  }

  /** A whole answer's {@code Content-Type}: the upstream's when the codec passes it on. */
  private static String contentType(
      CallCodec codec, UpstreamResponse upstreamResponse, TranslatedBody translated) {
    String passed = codec.contentType(upstreamResponse.headers());
    return passed != null ? passed : translated.contentTypeOrJson();
  }

  /** Notes what a stream consumed so far: its tokens, and its units when it reports any. */
  private void settleUsage(StreamTranslator translator) {
    record.usage(translator.usage());
    if (translator.units() != null) {
      record.units(translator.units());
    }
  }

  private void writeStreamed(Buffer bytes, Deployment deployment) {
    if (response.closed()) {
      return;
    }
    if (!streamStarted) {
      streamStarted = true;
      loop.answerBegun();
      answeredBy(deployment);
      response
          .setStatusCode(200)
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, streamContentType)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Accel-Buffering", "no");
    }
    if (recorder != null) {
      recorder.streamed(bytes);
    }
    response.write(bytes);
  }

  private void streamBroke(Attempt attempt, GatewayError error) {
    streamBroke(attempt, AttemptFailure.of(error));
  }

  /** A stream failed: retry elsewhere if the caller has seen nothing, else tell the caller. */
  private void streamBroke(Attempt attempt, AttemptFailure failure) {
    if (!streamStarted) {
      loop.attemptFailed(attempt, failure);
      return;
    }
    GatewayError error = failure.error();
    attempt.failed(error);
    log.warn(
        "Stream from {} failed after it reached the caller; not retried: {}",
        attempt.deployment().id(),
        error.message());
    settler.streamFailed(record, error);
    if (!response.closed()) {
      response.end(errors.streamEvent(error));
    }
  }

  private void answeredBy(Deployment deployment) {
    response.putHeader(PROVIDER_HEADER, deployment.id());
    response.putHeader(ATTEMPTS_HEADER, Integer.toString(record.attempts()));
  }
}
