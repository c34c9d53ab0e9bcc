package dev.conduit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.provider.sse.SseEvents;
import io.vertx.core.buffer.Buffer;

/**
 * {@link StreamCut} for OpenAI callers (chat and legacy completions): the stream ends with a {@code
 * finish_reason: "length"} chunk, the usage chunk when the caller asked for it, then {@code
 * [DONE]}. One per stream, on its event loop.
 */
final class OpenAiCut implements StreamCut {
  private final InboundCall call;

  /** The first chunk's id and model, repeated in the closing chunk. */
  private String id;

  private String model;

  OpenAiCut(InboundCall call) {
    this.call = call;
  }

  @Override
  public void appendOutput(Buffer event, StringBuilder out) {
    TokenCounter.appendAnswerText(event, out);
  }

  @Override
  public void forwarded(Buffer event) {
    if (id == null) {
      JsonNode first = StreamCut.readData(SseEvents.data(event));
      if (first != null && first.hasNonNull("id")) {
        id = first.path("id").asText();
        model = first.path("model").asText(null);
      }
    }
  }

  @Override
  public Buffer closing(Usage usage) {
    boolean completions = call.endpoint() == Endpoint.COMPLETIONS;
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", id != null ? id : "chatcmpl-conduit");
    chunk.put("object", completions ? "text_completion" : "chat.completion.chunk");
    chunk.put("created", System.currentTimeMillis() / 1000);
    chunk.put("model", model != null ? model : call.model());
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    if (completions) {
      choice.put("text", "");
    } else {
      choice.putObject("delta");
    }
    choice.put("finish_reason", "length");
    Buffer out = Buffer.buffer("data: " + chunk + "\n\n");
    if (call.callerWantsUsage()) {
      ObjectNode usageChunk = chunk.deepCopy();
      usageChunk.putArray("choices");
      usageChunk
          .putObject("usage")
          .put("prompt_tokens", usage.inputTokens())
          .put("completion_tokens", usage.outputTokens())
          .put("total_tokens", usage.inputTokens() + usage.outputTokens());
      out.appendString("data: " + usageChunk + "\n\n");
    }
    return out.appendString("data: [DONE]\n\n");
  }
}
