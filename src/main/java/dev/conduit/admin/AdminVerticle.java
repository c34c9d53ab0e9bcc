package dev.conduit.admin;

import dev.conduit.web.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/** The admin listener, guarded by its own {@link ConnectionGuard}. */
public final class AdminVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final ConnectionGuard guard;
  private final Function<io.vertx.core.Vertx, Router> routerFactory;
  private HttpServer server;

  public AdminVerticle(
      String host,
      int port,
      ConnectionGuard guard,
      Function<io.vertx.core.Vertx, Router> routerFactory) {
    this.host = host;
    this.port = port;
    this.guard = guard;
    this.routerFactory = routerFactory;
  }

  @Override
  public Future<?> start() {
    return guard
        .createServer(vertx, new HttpServerOptions())
        .requestHandler(routerFactory.apply(vertx))
        .listen(port, host)
        .onSuccess(listening -> server = listening);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
