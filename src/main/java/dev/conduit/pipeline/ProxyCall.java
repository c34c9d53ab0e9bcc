package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.UpstreamExchange;
import dev.conduit.provider.UpstreamFailure;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamResponse;
import dev.conduit.route.Deployment;
import dev.conduit.route.Router;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request's life after admission: try the planned deployments in turn until one answers,
 * then relay its answer (whole or streamed) and settle. Runs on the request's event loop.
 *
 * <p>A failed attempt moves on to the next deployment only while nothing has been sent to the
 * caller; once the first streamed byte is out, a failure ends the stream with an error event.
 */
final class ProxyCall {
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

  private int nextCandidate;
  private UpstreamExchange current;
  private boolean streamStarted;

  ProxyCall(InboundCall call, Router.Plan plan, CallRecord record, HttpServerResponse response,
      UpstreamClient upstream, CallCodecs codecs, CallSettler settler, ErrorFormat errors) {
    this.call = call;
    this.plan = plan;
    this.record = record;
    this.response = response;
    this.upstream = upstream;
    this.codecs = codecs;
    this.settler = settler;
    this.errors = errors;
  }

  void start() {
    response.closeHandler(v -> onCallerGone());
    attemptNext(null);
  }

  private void attemptNext(GatewayError previousError) {
    if (record.isSettled()) {
      return;
    }
    if (nextCandidate >= plan.candidates().size()) {
      fail(previousError);
      return;
    }
    Deployment deployment = plan.candidates().get(nextCandidate++);
    record.attemptStarted(deployment);
    CallCodec codec;
    try {
      codec = codecs.forAttempt(call, deployment);
    } catch (CallCodecs.Unsupported e) {
      attemptFailed(e.error());
      return;
    }
    codec.upstreamRequest().onComplete(built -> {
      if (record.isSettled()) {
        return;
      }
      if (built.failed()) {
        attemptFailed(GatewayError.upstreamUnreachable(deployment.provider().name(),
            "could not prepare the request: " + built.cause().getMessage()));
        return;
      }
      send(built.result(), codec, deployment);
    });
  }

  private void send(UpstreamRequest request, CallCodec codec, Deployment deployment) {
    current = upstream.send(request, deployment.upstreamOptions());
    current.response().onComplete(result -> onResponse(result, codec, deployment));
  }

  private void onResponse(AsyncResult<UpstreamResponse> result, CallCodec codec,
      Deployment deployment) {
    if (record.isSettled()) {
      return;
    }
    if (result.failed()) {
      attemptFailed(errorFor(result.cause(), deployment));
      return;
    }
    UpstreamResponse upstreamResponse = result.result();
    record.upstreamFirstByte();
    int status = upstreamResponse.status();
    if (status < 200 || status >= 300) {
      upstreamResponse.body().onComplete(body -> {
        if (record.isSettled()) {
          return;
        }
        attemptFailed(body.succeeded()
            ? codec.upstreamError(status, upstreamResponse.headers(), body.result())
            : errorFor(body.cause(), deployment));
      });
    } else if (call.stream()) {
      relayStream(upstreamResponse, codec, deployment);
    } else {
      relayWhole(upstreamResponse, codec, deployment);
    }
  }

  private void relayWhole(UpstreamResponse upstreamResponse, CallCodec codec,
      Deployment deployment) {
    upstreamResponse.body().onComplete(body -> {
      if (record.isSettled()) {
        return;
      }
      if (body.failed()) {
        attemptFailed(errorFor(body.cause(), deployment));
        return;
      }
      TranslatedBody translated;
      try {
        translated = codec.translateBody(body.result());
      } catch (InvalidUpstreamResponse e) {
        attemptFailed(GatewayError.upstreamInvalid(deployment.provider().name(), e.getMessage()));
        return;
      }
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
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .setStatusCode(200)
          .end(translated.body());
      settler.succeeded(record, 200);
    });
  }

  private void relayStream(UpstreamResponse upstreamResponse, CallCodec codec,
      Deployment deployment) {
    StreamTranslator translator = codec.streamTranslator();
    upstreamResponse.stream(
        chunk -> {
          if (record.isSettled()) {
            return;
          }
          translator.onBytes(chunk, bytes -> writeStreamed(bytes, deployment));
          if (response.writeQueueFull()) {
            upstreamResponse.pause();
            response.drainHandler(v -> upstreamResponse.resume());
          }
        },
        end -> {
          if (record.isSettled()) {
            return;
          }
          GatewayError incomplete = translator.onEnd(bytes -> writeStreamed(bytes, deployment));
          record.usage(translator.usage());
          if (incomplete != null) {
            streamBroke(incomplete);
          } else {
            response.end();
            GatewayError upstreamError = translator.upstreamError();
            if (upstreamError != null) {
              settler.streamFailed(record, upstreamError);
            } else {
              settler.succeeded(record, 200);
            }
          }
        },
        failure -> {
          if (record.isSettled()) {
            return;
          }
          record.usage(translator.usage());
          streamBroke(errorFor(failure, deployment));
        });
  }

  private void writeStreamed(Buffer bytes, Deployment deployment) {
    if (response.closed()) {
      return;
    }
    if (!streamStarted) {
      streamStarted = true;
      answeredBy(deployment);
      response.setStatusCode(200)
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Accel-Buffering", "no");
    }
    response.write(bytes);
  }

  /** A stream failed: retry elsewhere if the caller has seen nothing, else tell the caller. */
  private void streamBroke(GatewayError error) {
    if (!streamStarted) {
      attemptFailed(error);
      return;
    }
    if (!response.closed()) {
      response.end(errors.streamEvent(error));
    }
    settler.streamFailed(record, error);
  }

  private void attemptFailed(GatewayError error) {
    if (error.isRetryable() && nextCandidate < plan.candidates().size()) {
      attemptNext(error);
    } else {
      fail(error);
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
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
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
    if (current != null) {
      current.cancel();
    }
    settler.clientClosed(record);
  }

  private static GatewayError errorFor(Throwable cause, Deployment deployment) {
    String provider = deployment.provider().name();
    if (cause instanceof UpstreamFailure failure) {
      return switch (failure.kind()) {
        case CONNECT_TIMEOUT -> GatewayError.upstreamTimeout(provider, "connect",
            failure.limitMs());
        case FIRST_BYTE_TIMEOUT -> GatewayError.upstreamTimeout(provider, "first byte",
            failure.limitMs());
        case TOTAL_TIMEOUT -> GatewayError.upstreamTimeout(provider, "total", failure.limitMs());
        case CONNECT_FAILED -> GatewayError.upstreamUnreachable(provider, failure.getMessage());
        case CONNECTION_CLOSED -> GatewayError.upstreamInvalid(provider,
            "the connection closed before the response was complete (" + failure.getMessage()
                + ")");
        case CANCELLED -> GatewayError.upstreamUnreachable(provider, "call cancelled");
      };
    }
    return GatewayError.upstreamUnreachable(provider, String.valueOf(cause.getMessage()));
  }
}
