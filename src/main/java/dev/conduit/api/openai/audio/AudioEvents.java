package dev.conduit.api.openai.audio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.provider.ProviderAdapter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** What the audio streams (transcript and speech events) share: reading an event's data. */
final class AudioEvents {
  private AudioEvents() {}

  /** An event's JSON data; null when it has none or it is not a JSON object. */
  static JsonNode parse(String data) {
    if (data == null || data.isEmpty() || data.charAt(0) != '{') {
      return null;
    }
    try {
      return Json.MAPPER.readTree(data);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether {@code event} reports an error ({@code type: error}, or an {@code error} field). */
  static boolean isError(JsonNode event) {
    return event.path("type").asText("").equals("error") || event.has("error");
  }

  /**
   * The error an error event reports, read as the provider's error body, as a 502: the provider
   * failed mid-stream.
   */
  static GatewayError error(JsonNode event, ProviderAdapter adapter) {
    JsonNode body = event.has("error") ? event : Json.MAPPER.createObjectNode().set("error", event);
    GatewayError mapped =
        adapter
            .mapError(500, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body.toString()))
            .error();
    return new GatewayError(502, mapped.type(), mapped.code(), mapped.message(), mapped.param());
  }
}
