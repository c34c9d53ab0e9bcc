package dev.conduit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.provider.sse.SseEvents;
import io.vertx.core.buffer.Buffer;

/**
 * {@link StreamCut} for Anthropic callers: the stream ends by closing the content block left open,
 * a {@code message_delta} with {@code stop_reason: "max_tokens"}, then {@code message_stop}. One
 * per stream, on its event loop.
 */
final class AnthropicCut implements StreamCut {
  /** The index of the content block left open, or -1. */
  private int openBlock = -1;

  @Override
  public void appendOutput(Buffer event, StringBuilder out) {
    TokenCounter.appendAnswerText(event, out);
  }

  @Override
  public void forwarded(Buffer event) {
    String events = event.toString();
    if (!events.contains("content_block_st")) {
      return;
    }
    for (String one : events.split("\n\n")) {
      JsonNode data = StreamCut.readData(SseEvents.data(Buffer.buffer(one)));
      if (data == null) {
        continue;
      }
      switch (data.path("type").asText()) {
        case "content_block_start" -> openBlock = data.path("index").asInt();
        case "content_block_stop" -> openBlock = -1;
        default -> {}
      }
    }
  }

  @Override
  public Buffer closing(Usage usage) {
    Buffer out = Buffer.buffer();
    if (openBlock >= 0) {
      ObjectNode stop = Json.MAPPER.createObjectNode();
      stop.put("type", "content_block_stop").put("index", openBlock);
      out.appendString("event: content_block_stop\ndata: " + stop + "\n\n");
    }
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", "max_tokens").putNull("stop_sequence");
    delta.putObject("usage").put("output_tokens", usage.outputTokens());
    out.appendString("event: message_delta\ndata: " + delta + "\n\n");
    return out.appendString("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }
}
