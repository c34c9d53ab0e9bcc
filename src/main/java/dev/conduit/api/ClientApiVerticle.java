package dev.conduit.api;

import dev.conduit.web.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One event loop's share of the client API listener. Several instances share the port; each builds
 * its own request handler (and with it its own upstream HTTP client), so a request and its upstream
 * call stay on one thread. All share one {@link ConnectionGuard}: the listener's connection cap and
 * deadlines.
 */
public final class ClientApiVerticle extends VerticleBase {
  /** The largest WebSocket frame accepted on {@code /v1/realtime}, either way. */
  public static final int REALTIME_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private final String host;
  private final int port;
  private final long shutdownMs;
  private final ConnectionGuard guard;
  private final Function<io.vertx.core.Vertx, Handler<HttpServerRequest>> handlerFactory;
  private HttpServer server;

  public ClientApiVerticle(
      String host,
      int port,
      long shutdownMs,
      ConnectionGuard guard,
      Function<io.vertx.core.Vertx, Handler<HttpServerRequest>> handlerFactory) {
    this.host = host;
    this.port = port;
    this.shutdownMs = shutdownMs;
    this.guard = guard;
    this.handlerFactory = handlerFactory;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            .setDecompressionSupported(false)
            .setHandle100ContinueAutomatically(true)
            // /v1/realtime: the subprotocol OpenAI's clients offer, and frames as large as the
            // Realtime API's (an audio append event may hold megabytes of base64).
            .setWebSocketSubProtocols(List.of("realtime"))
            .setMaxWebSocketFrameSize(REALTIME_MAX_FRAME_BYTES)
            .setMaxWebSocketMessageSize(REALTIME_MAX_FRAME_BYTES);
    return guard
        .createServer(vertx, options)
        .requestHandler(handlerFactory.apply(vertx))
        .listen(port, host)
        .onSuccess(listening -> server = listening);
  }

  /**
   * Stops accepting connections; a connection closes once its request in flight is answered, and
   * any left after {@code shutdownMs} are closed.
   */
  @Override
  public Future<?> stop() {
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(shutdownMs, TimeUnit.MILLISECONDS);
  }
}
