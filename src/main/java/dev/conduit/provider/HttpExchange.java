package dev.conduit.provider;

import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.UpstreamFailure.Kind;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** One HTTP call to a provider, with its timers. All methods run on the caller's event loop. */
final class HttpExchange implements UpstreamExchange {
  private static final int WRITE_SLICE_BYTES = 64 * 1024;
  private final Vertx vertx;
  private final HttpClientAgent http;
  private final UpstreamRequest upstreamRequest;
  private final UpstreamOptions options;
  private final UpstreamClient.UpstreamTimings timings;
  private final Promise<UpstreamResponse> response = Promise.promise();
  private final long startNanos = System.nanoTime();

  private HttpClientRequest request;

  /**
   * The call's three deadlines (total, first byte, idle), as {@link System#nanoTime()} values, 0
   * when not running. One Vert.x timer serves them all: it is set for the earliest deadline and,
   * when it fires, ends the call or sets itself again for what is left. Moving a deadline later
   * (the idle deadline, at every piece of the body) touches no timer at all.
   */
  private long totalDeadline;

  private long firstByteDeadline;

  /** Runs while the response body is being read: no byte for {@code idleMs} aborts the call. */
  private long idleDeadline;

  private long timer = -1;
  private long timerDue;

  /** Set once the call is over: finished, failed or cancelled. */
  private boolean settled;

  /** Why the call was ended from our side (a timer or a cancel), reported instead of the reset. */
  private UpstreamFailure endedBy;

  private Handler<Throwable> streamFailureHandler;

  HttpExchange(
      Vertx vertx,
      HttpClientAgent http,
      UpstreamRequest upstreamRequest,
      UpstreamOptions options,
      UpstreamClient.UpstreamTimings timings) {
    this.vertx = vertx;
    this.http = http;
    this.upstreamRequest = upstreamRequest;
    this.options = options;
    this.timings = timings;
  }

  void start() {
    totalDeadline = startNanos + millisToNanos(options.timeouts().totalMs());
    // The first-byte deadline starts once connected, so it falls no earlier than this: the one
    // timer set here usually serves the whole call.
    scheduleTimer(
        Math.min(totalDeadline, startNanos + millisToNanos(options.timeouts().firstByteMs())));
    RequestOptions requestOptions =
        new RequestOptions()
            .setMethod(upstreamRequest.method())
            .setAbsoluteURI(upstreamRequest.url())
            .setConnectTimeout(options.timeouts().connectMs());
    if (upstreamRequest.headers() != null) {
      requestOptions.setHeaders(upstreamRequest.headers());
    }
    http.request(requestOptions).onComplete(this::onConnected);
  }

  private void onConnected(AsyncResult<HttpClientRequest> connected) {
    if (connected.failed()) {
      fail(connectFailure(connected.cause()));
      return;
    }
    request = connected.result();
    if (settled) {
      request.reset();
      return;
    }
    firstByteDeadline = System.nanoTime() + millisToNanos(options.timeouts().firstByteMs());
    scheduleTimer(firstByteDeadline);
    Buffer body = upstreamRequest.body();
    Future<HttpClientResponse> sent =
        body == null
            ? request.send()
            : body.length() <= WRITE_SLICE_BYTES ? request.send(body) : sendInSlices(body);
    sent.onComplete(this::onResponse);
  }

  /**
   * Writes a large body in slices. Written whole, Netty copies it into one direct buffer of its
   * size, allocated (and zeroed) afresh for every request: passing 6 MB bodies, that memset and its
   * page faults took a fifth of the CPU (perf, bench/run.sh big-body scenario). Slices come from
   * the pooled allocator.
   */
  private Future<HttpClientResponse> sendInSlices(Buffer body) {
    request.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    for (int start = 0; start < body.length(); start += WRITE_SLICE_BYTES) {
      request.write(body.slice(start, Math.min(body.length(), start + WRITE_SLICE_BYTES)));
    }
    request.end();
    return request.response();
  }

  private void onResponse(AsyncResult<HttpClientResponse> result) {
    firstByteDeadline = 0;
    if (settled) {
      return;
    }
    if (result.failed()) {
      fail(endedBy != null ? endedBy : closedFailure(result.cause()));
      return;
    }
    HttpClientResponse httpResponse = result.result();
    // Hold the body until the pipeline decides how to read it, so no chunk is lost meanwhile.
    httpResponse.pause();
    response.tryComplete(new Response(httpResponse));
  }

  @Override
  public Future<UpstreamResponse> response() {
    return response.future();
  }

  @Override
  public void cancel() {
    abort(new UpstreamFailure(Kind.CANCELLED, "cancelled by the gateway", 0));
  }

  /** Ends the call from our side: resets the connection and reports {@code why}. */
  private void abort(UpstreamFailure why) {
    if (settled) {
      return;
    }
    endedBy = why;
    if (request != null) {
      request.reset(0, why);
    }
    fail(why);
  }

  private void fail(UpstreamFailure failure) {
    if (settled) {
      return;
    }
    settle(false);
    if (!response.tryFail(failure) && streamFailureHandler != null) {
      streamFailureHandler.handle(failure);
    }
  }

  private void settle(boolean success) {
    settled = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (endedBy == null || endedBy.kind() != Kind.CANCELLED) {
      timings.record(options.provider(), System.nanoTime() - startNanos, success);
    }
  }

  /** (Re)starts the idle deadline: a piece of the body arrived, or reading it (re)started. */
  private void armIdleTimer() {
    if (settled) {
      return;
    }
    idleDeadline = System.nanoTime() + millisToNanos(options.timeouts().idleMs());
    scheduleTimer(idleDeadline);
  }

  /** Reading paused for a slow caller: the upstream's silence is ours, not the upstream's. */
  private void disarmIdleTimer() {
    idleDeadline = 0;
  }

  /** Makes sure the timer fires no later than {@code deadline}. */
  private void scheduleTimer(long deadline) {
    if (settled || (timer >= 0 && timerDue - deadline <= 0)) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timerDue = deadline;
    long delayMs = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
    timer = vertx.setTimer(delayMs, id -> onTimer());
  }

  /** Ends the call on the deadline that passed first, or sets the timer for the next one. */
  private void onTimer() {
    timer = -1;
    long now = System.nanoTime();
    long passed = 0;
    long next = 0;
    for (long deadline : new long[] {totalDeadline, firstByteDeadline, idleDeadline}) {
      if (deadline == 0) {
        continue;
      }
      if (deadline - now <= 0) {
        passed = passed == 0 || deadline - passed < 0 ? deadline : passed;
      } else {
        next = next == 0 || deadline - next < 0 ? deadline : next;
      }
    }
    if (passed != 0) {
      abort(timeoutAt(passed));
    } else if (next != 0) {
      scheduleTimer(next);
    }
  }

  private UpstreamFailure timeoutAt(long deadline) {
    TimeoutsConfig timeouts = options.timeouts();
    if (deadline == firstByteDeadline) {
      return new UpstreamFailure(
          Kind.FIRST_BYTE_TIMEOUT, "first byte timeout", timeouts.firstByteMs());
    }
    if (deadline == idleDeadline) {
      return new UpstreamFailure(Kind.IDLE_TIMEOUT, "idle timeout", timeouts.idleMs());
    }
    return new UpstreamFailure(Kind.TOTAL_TIMEOUT, "total timeout", timeouts.totalMs());
  }

  private static long millisToNanos(long millis) {
    return millis * 1_000_000;
  }

  private UpstreamFailure connectFailure(Throwable cause) {
    if (cause instanceof UpstreamFailure failure) {
      return failure;
    }
    if (isTimeout(cause)) {
      long limit = options.timeouts().connectMs();
      return new UpstreamFailure(Kind.CONNECT_TIMEOUT, "connect timeout", limit);
    }
    if (cause instanceof UnknownHostException) {
      return new UpstreamFailure(Kind.CONNECT_FAILED, "unknown host " + cause.getMessage(), 0);
    }
    if (cause instanceof ConnectException) {
      return new UpstreamFailure(Kind.CONNECT_FAILED, "connection refused", 0);
    }
    return new UpstreamFailure(Kind.CONNECT_FAILED, describe(cause), 0);
  }

  private static UpstreamFailure closedFailure(Throwable cause) {
    if (cause instanceof UpstreamFailure failure) {
      return failure;
    }
    return new UpstreamFailure(Kind.CONNECTION_CLOSED, describe(cause), 0);
  }

  private static boolean isTimeout(Throwable cause) {
    return cause instanceof TimeoutException
        || cause.getClass().getSimpleName().contains("Timeout");
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  static Future<Void> warm(HttpClientAgent http, String url) {
    // A HEAD on the origin opens a pooled keep-alive connection (and its TLS session); any
    // status means the path to the upstream works.
    return http.request(new RequestOptions().setMethod(HttpMethod.HEAD).setAbsoluteURI(url))
        .compose(HttpClientRequest::send)
        .compose(HttpClientResponse::end)
        .mapEmpty();
  }

  /** The response side; each read method may be used once. */
  private final class Response implements UpstreamResponse {
    private final HttpClientResponse httpResponse;

    Response(HttpClientResponse httpResponse) {
      this.httpResponse = httpResponse;
    }

    @Override
    public int status() {
      return httpResponse.statusCode();
    }

    @Override
    public MultiMap headers() {
      return httpResponse.headers();
    }

    @Override
    public Future<Buffer> body() {
      Promise<Buffer> body = Promise.promise();
      Buffer collected = Buffer.buffer();
      stream(collected::appendBuffer, v -> body.tryComplete(collected), body::tryFail);
      return body.future();
    }

    @Override
    public void stream(Handler<Buffer> onChunk, Handler<Void> onEnd, Handler<Throwable> onFailure) {
      streamFailureHandler = onFailure;
      httpResponse.handler(
          chunk -> {
            armIdleTimer();
            onChunk.handle(chunk);
          });
      httpResponse.exceptionHandler(
          cause -> fail(endedBy != null ? endedBy : closedFailure(cause)));
      httpResponse.endHandler(
          v -> {
            if (!settled) {
              settle(true);
              onEnd.handle(null);
            }
          });
      armIdleTimer();
      httpResponse.resume();
    }

    @Override
    public void pause() {
      disarmIdleTimer();
      httpResponse.pause();
    }

    @Override
    public void resume() {
      armIdleTimer();
      httpResponse.resume();
    }
  }
}
