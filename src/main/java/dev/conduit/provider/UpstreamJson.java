package dev.conduit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Reading an upstream's JSON body, the two ways adapters need. */
public final class UpstreamJson {
  private UpstreamJson() {}

  /**
   * An answer's body as a JSON object.
   *
   * @throws InvalidUpstreamResponse when it is not valid JSON or not an object
   */
  public static JsonNode readObject(Buffer body) {
    try {
      JsonNode root = Json.MAPPER.readTree(body.getBytes());
      if (root == null || !root.isObject()) {
        throw new InvalidUpstreamResponse("the response body is not a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the response body is not valid JSON");
    }
  }

  /**
   * An error body's JSON, or a missing node when it is empty or not JSON (a proxy's HTML page), so
   * a mapper reads it with {@code path(...)} and falls back to the status alone.
   */
  public static JsonNode readOrMissing(Buffer body) {
    if (body == null || body.length() == 0) {
      return Json.MAPPER.missingNode();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body.getBytes());
      return node == null ? Json.MAPPER.missingNode() : node;
    } catch (IOException e) {
      return Json.MAPPER.missingNode();
    }
  }
}
