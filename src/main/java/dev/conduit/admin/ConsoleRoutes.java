package dev.conduit.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin console ({@code /ui/}, docs/console.md), served by the admin listener only: static
 * files from the jar, held in memory ({@link ConsoleAssets}). The page itself needs no key; every
 * call it makes goes to {@code /api/admin} with the master key, as any other client's would.
 *
 * <p>Every answer under {@code /ui} carries a strict Content-Security-Policy (scripts, styles and
 * connections from this origin only; no inline script or style; no framing; forms submit nowhere,
 * so the login form can never put the key in a URL), {@code X-Frame-Options: DENY}, {@code nosniff}
 * and {@code Referrer-Policy: no-referrer}. {@code index.html} is never cached; our other files sit
 * under their content hash and uPlot under its version, cached for a year.
 *
 * <p>Runs on the admin listener's event loop; serves from memory, no I/O.
 */
public final class ConsoleRoutes implements AdminRoutes {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
          + "form-action 'none'; frame-ancestors 'none'";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final ConsoleAssets assets;

  private ConsoleRoutes(ConsoleAssets assets) {
    this.assets = assets;
  }

  /** Reads the console's files from the classpath (blocking: call at start-up). */
  public static ConsoleRoutes load() {
    return new ConsoleRoutes(ConsoleAssets.load());
  }

  @Override
  public void mount(Router router) {
    router.route("/ui*").handler(ConsoleRoutes::securityHeaders);
    // Vert.x matches "/ui" and "/ui/" alike: only the bare path is redirected.
    router
        .get("/ui")
        .handler(
            context -> {
              if (context.request().path().equals("/ui")) {
                context.response().setStatusCode(301).putHeader("Location", "/ui/").end();
              } else {
                context.next();
              }
            });
    router.get("/ui/").handler(this::index);
    router.get("/ui/index.html").handler(this::index);
    router.get("/ui/assets/*").handler(this::asset);
    router.get("/ui/vendor/*").handler(this::vendor);
  }

  private static void securityHeaders(RoutingContext context) {
    context
        .response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin");
    context.next();
  }

  private void index(RoutingContext context) {
    send(context, assets.index(), "text/html; charset=utf-8", "no-store");
  }

  /** {@code /ui/assets/<version>/<path>}: only the current version exists. */
  private void asset(RoutingContext context) {
    String rest = context.normalizedPath().substring("/ui/assets/".length());
    int slash = rest.indexOf('/');
    ConsoleAssets.Asset asset =
        slash > 0 && rest.substring(0, slash).equals(assets.version())
            ? assets.file(rest.substring(slash + 1))
            : null;
    if (asset == null) {
      context.next();
    } else {
      send(context, asset.bytes(), asset.contentType(), IMMUTABLE);
    }
  }

  /** {@code /ui/vendor/uplot/<version>/<file>}. */
  private void vendor(RoutingContext context) {
    String prefix = "/ui/vendor/uplot/" + assets.uplotVersion() + "/";
    String path = context.normalizedPath();
    ConsoleAssets.Asset asset =
        path.startsWith(prefix) ? assets.vendor(path.substring(prefix.length())) : null;
    if (asset == null) {
      context.next();
    } else {
      send(context, asset.bytes(), asset.contentType(), IMMUTABLE);
    }
  }

  private static void send(
      RoutingContext context, byte[] bytes, String contentType, String cacheControl) {
    HttpServerResponse response = context.response();
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
        .end(Buffer.buffer(bytes));
  }
}
