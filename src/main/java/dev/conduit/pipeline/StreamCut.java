package dev.conduit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.core.WireProtocol;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * How {@link OutputLimit} reads and ends one caller dialect's stream: which text an event adds,
 * what the closing events need to remember, and the events that end the stream as a model that
 * reached its limit ends it. One per stream, on its event loop.
 */
interface StreamCut {
  /** Appends the output text {@code event} adds to {@code out}. */
  void appendOutput(Buffer event, StringBuilder out);

  /** Notes a forwarded event (what the closing events repeat: ids, the open block). */
  void forwarded(Buffer event);

  /** The events that end the caller's stream at the limit; {@code usage} counts what went out. */
  Buffer closing(Usage usage);

  /** The cut for {@code call}'s dialect. */
  static StreamCut of(InboundCall call) {
    if (call.endpoint() == Endpoint.RESPONSES) {
      return new ResponsesCut(call.model());
    }
    return call.protocol() == WireProtocol.OPENAI ? new OpenAiCut(call) : new AnthropicCut();
  }

  /** An event's JSON data, or null when it is not a JSON object. */
  static JsonNode readData(String data) {
    if (data == null || data.isEmpty() || data.charAt(0) != '{') {
      return null;
    }
    try {
      return Json.MAPPER.readTree(data);
    } catch (IOException e) {
      return null;
    }
  }
}
