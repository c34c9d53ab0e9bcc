package dev.conduit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.provider.sse.SseEvents;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;

/**
 * {@link StreamCut} for Responses callers: only the {@code *.delta} events carry new output (the
 * {@code .done} events and {@code response.completed} repeat it), and a stream cut at the limit
 * ends as one that reached {@code max_output_tokens} ends: {@code response.incomplete}. One per
 * stream, on its event loop.
 */
final class ResponsesCut implements StreamCut {
  private static final Set<String> DELTA = Set.of("delta");

  private final String fallbackModel;
  private String id;
  private String model;
  private int events;

  ResponsesCut(String fallbackModel) {
    this.fallbackModel = fallbackModel;
  }

  @Override
  public void appendOutput(Buffer event, StringBuilder out) {
    String name = SseEvents.eventName(event);
    if (name == null || !name.endsWith(".delta")) {
      return;
    }
    String data = SseEvents.data(event);
    if (data != null) {
      TokenCounter.appendFields(data, DELTA, out);
    }
  }

  /** Notes the response's id and model, and how many events went out. */
  @Override
  public void forwarded(Buffer event) {
    events++;
    if (id == null && "response.created".equals(SseEvents.eventName(event))) {
      try {
        JsonNode response = Json.MAPPER.readTree(SseEvents.data(event)).path("response");
        id = response.path("id").asText(null);
        model = response.path("model").asText(null);
      } catch (IOException | RuntimeException e) {
        // Not readable: the closing event names what it can.
      }
    }
  }

  @Override
  public Buffer closing(Usage usage) {
    ObjectNode event =
        Json.MAPPER
            .createObjectNode()
            .put("type", "response.incomplete")
            .put("sequence_number", events);
    ObjectNode response = event.putObject("response");
    response.put("id", id != null ? id : "resp_conduit");
    response.put("object", "response");
    response.put("status", "incomplete");
    response.putObject("incomplete_details").put("reason", "max_output_tokens");
    response.put("model", model != null ? model : fallbackModel);
    response.putArray("output");
    ObjectNode counts = response.putObject("usage");
    counts.put("input_tokens", usage.inputTokens());
    counts.putObject("input_tokens_details").put("cached_tokens", usage.cachedInputTokens());
    counts.put("output_tokens", usage.outputTokens());
    counts.putObject("output_tokens_details").put("reasoning_tokens", 0);
    counts.put("total_tokens", usage.totalTokens());
    return Buffer.buffer("event: response.incomplete\ndata: " + event + "\n\n");
  }
}
