package dev.conduit.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import java.io.IOException;

/** A caller's JSON body read as an object, or the 400 that says why it is not one. */
public final class JsonBodies {
  private JsonBodies() {}

  /**
   * @throws GatewayException (400) when the body is not JSON, or not a JSON object
   */
  public static JsonNode object(byte[] body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw GatewayException.badRequest("The request body is not valid JSON.", null);
    }
    if (root == null || !root.isObject()) {
      throw GatewayException.badRequest("The request body must be a JSON object.", null);
    }
    return root;
  }
}
