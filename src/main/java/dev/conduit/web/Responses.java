package dev.conduit.web;

import dev.conduit.core.GatewayError;
import dev.conduit.pipeline.ErrorFormat;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writing complete JSON responses. */
public final class Responses {
  private Responses() {}

  public static void json(HttpServerResponse response, int status, String body) {
    if (response.closed() || response.ended()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
  }

  public static void error(HttpServerResponse response, GatewayError error, ErrorFormat format) {
    if (response.closed() || response.ended()) {
      return;
    }
    response
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(format.body(error));
  }
}
