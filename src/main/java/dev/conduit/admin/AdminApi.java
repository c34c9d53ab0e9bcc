package dev.conduit.admin;

import dev.conduit.core.GatewayError;
import dev.conduit.core.TextRules;
import dev.conduit.web.OperationsEndpoints;
import dev.conduit.web.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The admin listener's routes: health and metrics open, everything under {@code /api/admin} behind
 * the master key (and, for state-changing calls, {@link CrossSiteGuard}); the console's static
 * files ({@link ConsoleRoutes}, {@code /ui/}) open, since every call they make needs the key.
 */
public final class AdminApi {
  private static final long MAX_ADMIN_BODY = 16L * 1024 * 1024;

  /** Longer than any admin path with names of {@link TextRules#MAX_NAME} characters. */
  private static final int MAX_ADMIN_PATH = 1024;

  private AdminApi() {}

  public static Router router(
      Vertx vertx,
      MasterKey masterKey,
      OperationsEndpoints operations,
      List<AdminRoutes> features) {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            context -> {
              context.response().putHeader(RequestIds.HEADER, RequestIds.of(context.request()));
              context.next();
            });
    for (String path : List.of("/health/live", "/health/ready", "/metrics")) {
      router.get(path).handler(context -> operations.handle(context.request(), path));
    }
    router.route("/api/admin/*").handler(CrossSiteGuard::check);
    router.route("/api/admin/*").handler(context -> authorise(context, masterKey));
    router.route("/api/admin/*").handler(AdminApi::checkPath);
    router.route("/api/admin/*").handler(BodyHandler.create(false).setBodyLimit(MAX_ADMIN_BODY));
    for (AdminRoutes feature : features) {
      feature.mount(router);
    }
    router
        .route()
        .last()
        .handler(
            context ->
                AdminJson.fail(
                    context,
                    GatewayError.notFound(
                        "Unknown admin path "
                            + context.request().method()
                            + " "
                            + context.request().path()
                            + ".")));
    router
        .route()
        .failureHandler(
            context -> {
              Throwable failure = context.failure();
              if (failure != null) {
                AdminJson.fail(context, AdminJson.errorFor(failure));
              } else if (context.statusCode() == 413) {
                AdminJson.fail(context, GatewayError.payloadTooLarge(MAX_ADMIN_BODY));
              } else {
                int status = context.statusCode() > 0 ? context.statusCode() : 500;
                AdminJson.fail(
                    context,
                    new GatewayError(
                        status,
                        "invalid_request_error",
                        null,
                        "The admin request failed with HTTP " + status + ".",
                        null));
              }
            });
    return router;
  }

  /**
   * Ids and names in the path are looked up in the database and echoed in messages: a path whose
   * decoded segments hold control or format characters (NUL, which PostgreSQL refuses; bidi
   * overrides) or that is longer than any name could make is refused here, once for every route.
   */
  private static void checkPath(RoutingContext context) {
    String path = context.request().path();
    String problem = null;
    if (path.length() > MAX_ADMIN_PATH) {
      problem = "The path is longer than " + MAX_ADMIN_PATH + " characters.";
    } else {
      try {
        String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        // U+FFFD stands for bytes that are not UTF-8.
        if (TextRules.textProblem(decoded, MAX_ADMIN_PATH) != null || decoded.contains("\uFFFD")) {
          problem = "The path holds a character that is not allowed in an id or a name.";
        }
      } catch (IllegalArgumentException e) {
        problem = "The path holds a malformed percent-encoding.";
      }
    }
    if (problem != null) {
      AdminJson.fail(context, GatewayError.badRequest("invalid_path", problem, null));
    } else {
      context.next();
    }
  }

  private static void authorise(RoutingContext context, MasterKey masterKey) {
    String presented = context.request().getHeader("X-Master-Key");
    if (presented == null) {
      String authorization = context.request().getHeader("Authorization");
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        presented = authorization.substring(7).trim();
      }
    }
    if (presented == null || presented.isEmpty()) {
      AdminJson.fail(
          context,
          GatewayError.unauthorized(
              "missing_master_key",
              "The admin API needs the master key in the X-Master-Key header."));
    } else if (!masterKey.matches(presented)) {
      AdminJson.fail(
          context, GatewayError.unauthorized("invalid_master_key", "The master key is not valid."));
    } else {
      context.next();
    }
  }
}
