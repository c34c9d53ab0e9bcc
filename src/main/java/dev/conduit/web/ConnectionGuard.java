package dev.conduit.web;

import dev.conduit.observe.ListenerMeters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards one listener (shared by all its event loops): caps its open connections, puts the strict
 * request decoder ({@link StrictRequestDecoder}) and the request deadlines ({@link
 * RequestDeadlines}) on each connection, and answers what the decoder refuses with JSON ({@link
 * ProtocolErrors}).
 *
 * <p>Vert.x offers neither a header deadline nor a connection cap, and its own idle timeout counts
 * any traffic, so it would cut a slow upstream call and spare a slowloris. Both need the
 * connection's Netty pipeline, which Vert.x reaches only through its implementation classes; the
 * pipeline handler names used here ({@code httpDecoder}, {@code handler}) are Vert.x 5's.
 */
public final class ConnectionGuard {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final ListenerLimits limits;
  private final boolean http2ClearText;
  private final ListenerMeters meters;
  private final AtomicInteger open = new AtomicInteger();

  /** A guard for an HTTP/1.x listener. */
  public ConnectionGuard(ListenerLimits limits, ListenerMeters meters) {
    this(limits, false, meters);
  }

  /**
   * @param http2ClearText also speak cleartext HTTP/2. Vert.x then chooses the protocol only once a
   *     connection's first request has been read, too late to change its decoder: connections are
   *     counted against the cap, but get neither deadlines nor the strict decoder.
   */
  public ConnectionGuard(ListenerLimits limits, boolean http2ClearText, ListenerMeters meters) {
    this.limits = limits;
    this.http2ClearText = http2ClearText;
    this.meters = meters;
    meters.countOpen(open::get);
  }

  /**
   * An HTTP server with the given options, guarded. Unless asked for, cleartext HTTP/2 is off: TLS
   * and HTTP/2 end at the load balancer.
   */
  public HttpServer createServer(Vertx vertx, HttpServerOptions options) {
    HttpServerOptions guarded =
        new HttpServerOptions(options).setHttp2ClearTextEnabled(http2ClearText);
    return vertx
        .createHttpServer(guarded)
        .connectionHandler(connection -> accept(connection, guarded))
        .invalidRequestHandler(ProtocolErrors::answer);
  }

  private void accept(HttpConnection connection, HttpServerOptions options) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      meters.refused();
      log.debug(
          "Refused a connection from {}: {} connections are open",
          connection.remoteAddress(),
          limits.maxConnections());
      connection.close();
      return;
    }
    Channel channel = ((ConnectionBase) connection).channel();
    channel.closeFuture().addListener(closed -> open.decrementAndGet());
    if (http2ClearText) {
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(RequestDeadlines.DECODER) == null) {
      // Only a Vert.x upgrade that renamed its pipeline handlers gets here: say so loudly.
      log.warn("No HTTP/1.x decoder on a new connection: its deadlines and checks are off");
      return;
    }
    pipeline.replace(
        RequestDeadlines.DECODER, RequestDeadlines.DECODER, new StrictRequestDecoder(options));
    new RequestDeadlines(limits, meters).install(pipeline);
  }
}
