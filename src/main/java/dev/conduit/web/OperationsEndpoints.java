package dev.conduit.web;

import dev.conduit.core.GatewayError;
import dev.conduit.observe.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Health and metrics, served without authentication: both on the admin listener; on the client
 * listener health, and metrics unless {@code server.metricsOnClientPort} is false ({@link
 * #withoutMetrics}).
 */
public final class OperationsEndpoints {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final HealthService health;
  private final GatewayMetrics metrics;
  private final boolean servesMetrics;

  public OperationsEndpoints(Vertx vertx, HealthService health, GatewayMetrics metrics) {
    this(vertx, health, metrics, true);
  }

  private OperationsEndpoints(
      Vertx vertx, HealthService health, GatewayMetrics metrics, boolean servesMetrics) {
    this.vertx = vertx;
    this.health = health;
    this.metrics = metrics;
    this.servesMetrics = servesMetrics;
  }

  /**
   * The same endpoints with {@code /metrics} unknown (404): metrics name keys by id and show their
   * spend, so a listener open to callers may leave them to the admin listener.
   */
  public OperationsEndpoints withoutMetrics() {
    return new OperationsEndpoints(vertx, health, metrics, false);
  }

  /** Serves {@code /health/live}, {@code /health/ready} or {@code /metrics}. */
  public void handle(HttpServerRequest request, String path) {
    HttpServerResponse response = request.response();
    if (path.equals("/metrics") && !servesMetrics) {
      Responses.error(
          response,
          GatewayError.notFound("Unknown path " + request.method() + " " + request.path() + "."),
          OpenAiErrorFormat.INSTANCE);
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      Responses.error(
          response,
          new GatewayError(
              405,
              "invalid_request_error",
              "method_not_allowed",
              "Use GET for " + path + ".",
              null),
          OpenAiErrorFormat.INSTANCE);
      return;
    }
    switch (path) {
      case "/health/live" -> Responses.json(response, 200, health.live());
      case "/health/ready" -> {
        HealthService.Readiness ready = health.ready();
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Responses.json(response, ready.httpStatus(), ready.body());
      }
      case "/metrics" ->
          vertx
              .executeBlocking(metrics::scrape, false)
              .onComplete(
                  scraped -> {
                    if (scraped.succeeded()) {
                      response
                          .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
                          .end(scraped.result());
                    } else {
                      Responses.error(
                          response,
                          GatewayError.internal("Metrics are unavailable."),
                          OpenAiErrorFormat.INSTANCE);
                    }
                  });
      default -> throw new IllegalArgumentException(path);
    }
  }
}
