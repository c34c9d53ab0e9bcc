package dev.conduit.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/** The admin listener. */
public final class AdminVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Function<io.vertx.core.Vertx, Router> routerFactory;
  private HttpServer server;

  public AdminVerticle(String host, int port, Function<io.vertx.core.Vertx, Router> routerFactory) {
    this.host = host;
    this.port = port;
    this.routerFactory = routerFactory;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer()
        .requestHandler(routerFactory.apply(vertx))
        .listen(port, host)
        .onSuccess(listening -> server = listening);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
