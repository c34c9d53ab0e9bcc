package dev.conduit.provider;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The gateway's only way out to providers: one non-blocking HTTP client per event loop, with
 * connect, first-byte and total timeouts, cancellation, and response-time metrics. Requests whose
 * URL scheme names a {@link LocalUpstream} are served in process instead.
 */
public final class UpstreamClient {
  private final Vertx vertx;
  private final HttpClientAgent http;
  private final Map<String, LocalUpstream> locals;
  private final UpstreamTimings timings;

  public UpstreamClient(
      Vertx vertx, int poolSize, List<LocalUpstream> locals, UpstreamTimings timings) {
    this.vertx = vertx;
    this.locals =
        locals.stream()
            .collect(Collectors.toUnmodifiableMap(LocalUpstream::scheme, Function.identity()));
    this.timings = timings;
    this.http =
        vertx
            .httpClientBuilder()
            .with(
                new HttpClientOptions()
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setForceSni(true)
                    // Bodies are forwarded byte for byte; never ask upstreams to compress them.
                    .setDecompressionSupported(false))
            .with(new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1))
            .build();
  }

  /** Starts a call; must be called on an event loop (the request's own). */
  public UpstreamExchange send(UpstreamRequest request, UpstreamOptions options) {
    Context context = vertx.getOrCreateContext();
    LocalUpstream local = locals.get(schemeOf(request.url()));
    if (local != null) {
      return local.send(request, context);
    }
    HttpExchange exchange = new HttpExchange(vertx, http, request, options, timings);
    exchange.start();
    return exchange;
  }

  /** Opens a pooled connection to {@code url}'s origin ahead of traffic (TLS handshake done). */
  public io.vertx.core.Future<Void> warm(String url) {
    if (locals.containsKey(schemeOf(url))) {
      return io.vertx.core.Future.succeededFuture();
    }
    return HttpExchange.warm(http, url);
  }

  public io.vertx.core.Future<Void> close() {
    return http.close();
  }

  private static String schemeOf(String url) {
    int colon = url.indexOf(':');
    return colon < 0 ? "" : url.substring(0, colon);
  }

  /** Receives how long each upstream call took, for the provider response-time histogram. */
  @FunctionalInterface
  public interface UpstreamTimings {
    void record(String provider, long nanos, boolean success);
  }
}
