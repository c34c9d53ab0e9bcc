package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.keys.Authenticator;
import dev.conduit.store.VirtualKey;
import dev.conduit.web.OpenAiErrorFormat;
import dev.conduit.web.Responses;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET} and {@code DELETE /v1/responses/{id}}, and {@code POST /v1/responses/{id}/cancel}:
 * the responses Conduit stored for the caller's key (another key's are 404, as are expired ones).
 * Pass-through answers are stored too (as the caller got them), so these serve every stored
 * response wherever it was answered; a delete removes Conduit's copy only. Cancel answers 400:
 * Conduit does not run background responses, so none is ever cancellable. Runs on an event loop;
 * the database work runs on a worker.
 */
public final class ResponsesEndpoint {
  private static final Logger log = LoggerFactory.getLogger(ResponsesEndpoint.class);

  private final Authenticator authenticator;
  private final ResponsesStore store;

  public ResponsesEndpoint(Authenticator authenticator, ResponsesStore store) {
    this.authenticator = authenticator;
    this.store = store;
  }

  /**
   * @param rest the path after {@code /v1/responses/}
   */
  public void handle(HttpServerRequest request, String rest) {
    VirtualKey key;
    try {
      key = authenticator.authenticate(request.headers());
    } catch (GatewayException e) {
      error(request, e.error());
      return;
    }
    boolean cancel = rest.endsWith("/cancel");
    String id = cancel ? rest.substring(0, rest.length() - "/cancel".length()) : rest;
    if (id.isEmpty() || id.contains("/")) {
      error(
          request,
          GatewayError.notFound("Unknown path " + request.method() + " " + request.path() + "."));
      return;
    }
    HttpMethod method = request.method();
    if (cancel ? method.equals(HttpMethod.POST) : method.equals(HttpMethod.GET)) {
      store
          .find(id, key.id())
          .onComplete(
              found -> {
                if (found.failed()) {
                  failed(request, found.cause());
                } else if (found.result() == null) {
                  error(request, notFound(id));
                } else if (cancel) {
                  error(
                      request,
                      GatewayError.badRequest(
                          "invalid_request",
                          "Only background responses can be cancelled; '" + id + "' is complete.",
                          null));
                } else {
                  Responses.json(request.response(), 200, found.result().response());
                }
              });
    } else if (!cancel && method.equals(HttpMethod.DELETE)) {
      store
          .delete(id, key.id())
          .onComplete(
              deleted -> {
                if (deleted.failed()) {
                  failed(request, deleted.cause());
                } else if (!deleted.result()) {
                  error(request, notFound(id));
                } else {
                  ObjectNode body =
                      Json.MAPPER
                          .createObjectNode()
                          .put("id", id)
                          .put("object", "response.deleted")
                          .put("deleted", true);
                  Responses.json(request.response(), 200, body.toString());
                }
              });
    } else {
      String allowed = cancel ? "POST" : "GET, DELETE";
      request.response().putHeader(HttpHeaders.ALLOW, allowed);
      error(
          request,
          new GatewayError(
              405,
              "invalid_request_error",
              "method_not_allowed",
              "Use " + allowed + " for " + request.path() + ".",
              null));
    }
  }

  private static GatewayError notFound(String id) {
    return new GatewayError(
        404,
        "invalid_request_error",
        "not_found",
        "Response with id '" + id + "' not found.",
        null);
  }

  private static void failed(HttpServerRequest request, Throwable cause) {
    log.error("Reading stored responses failed", cause);
    error(request, GatewayError.internal("The gateway could not read its stored responses."));
  }

  private static void error(HttpServerRequest request, GatewayError error) {
    Responses.error(request.response(), error, OpenAiErrorFormat.INSTANCE);
  }
}
