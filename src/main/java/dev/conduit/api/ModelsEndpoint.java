package dev.conduit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.keys.Authenticator;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ModelRoute;
import dev.conduit.store.VirtualKey;
import dev.conduit.web.OpenAiErrorFormat;
import dev.conduit.web.Responses;
import io.vertx.core.http.HttpServerRequest;

/** {@code GET /v1/models} and {@code /v1/models/{model}}: the aliases the caller's key may use. */
final class ModelsEndpoint {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final Authenticator authenticator;
  private final ModelCatalog catalog;
  private final long created = System.currentTimeMillis() / 1000;

  ModelsEndpoint(Authenticator authenticator, ModelCatalog catalog) {
    this.authenticator = authenticator;
    this.catalog = catalog;
  }

  void list(HttpServerRequest request) {
    VirtualKey key = authenticate(request);
    if (key == null) {
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    for (ModelRoute route : catalog.all()) {
      if (key.allows(route.alias())) {
        data.add(model(route.alias()));
      }
    }
    Responses.json(request.response(), 200, body.toString());
  }

  void get(HttpServerRequest request, String alias) {
    VirtualKey key = authenticate(request);
    if (key == null) {
      return;
    }
    if (catalog.find(alias).isEmpty()) {
      Responses.error(
          request.response(), GatewayError.modelNotFound(alias), OpenAiErrorFormat.INSTANCE);
    } else if (!key.allows(alias)) {
      Responses.error(
          request.response(),
          GatewayError.forbidden(
              "model_not_allowed", "This API key is not allowed to use model '" + alias + "'."),
          OpenAiErrorFormat.INSTANCE);
    } else {
      Responses.json(request.response(), 200, model(alias).toString());
    }
  }

  private VirtualKey authenticate(HttpServerRequest request) {
    try {
      return authenticator.authenticate(request.headers());
    } catch (GatewayException e) {
      Responses.error(request.response(), e.error(), OpenAiErrorFormat.INSTANCE);
      return null;
    }
  }

  private ObjectNode model(String alias) {
    return JSON.createObjectNode()
        .put("id", alias)
        .put("object", "model")
        .put("created", created)
        .put("owned_by", "conduit");
  }
}
