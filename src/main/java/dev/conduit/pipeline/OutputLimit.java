package dev.conduit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.sse.SseEvents;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Caps a stream at the output tokens its budget reservation covers (issue 11 item 7). An upstream
 * that ignores {@code max_tokens} could otherwise stream far past what the key's budget held back.
 * The caller's events are counted as they pass (the text of each, tokenized); the event that would
 * go past the limit is not forwarded, and the stream ends as a model that reached its limit ends
 * it: {@code finish_reason: "length"} then {@code [DONE]} for OpenAI callers, {@code stop_reason:
 * "max_tokens"} then {@code message_stop} for Anthropic callers, {@code response.incomplete} for
 * Responses callers ({@link ResponsesCut}). The call is charged for the tokens forwarded. Wraps the
 * codec's translator only for keys whose spend is limited.
 */
final class OutputLimit implements StreamTranslator {
  private final StreamTranslator inner;
  private final long limitTokens;
  private final InboundCall call;
  private final StringBuilder text = new StringBuilder();
  private long forwardedTokens;
  private boolean cut;

  /** The first OpenAI chunk's id and model, repeated in the closing chunk. */
  private String id;

  private String model;

  /** The index of the Anthropic content block left open, or -1. */
  private int openBlock = -1;

  /** For a Responses stream, what its closing needs; else null. */
  private final ResponsesCut responses;

  OutputLimit(StreamTranslator inner, long limitTokens, InboundCall call) {
    this.inner = inner;
    this.limitTokens = limitTokens;
    this.call = call;
    this.responses = call.endpoint() == Endpoint.RESPONSES ? new ResponsesCut() : null;
  }

  @Override
  public void onBytes(Buffer chunk, Consumer<Buffer> toClient) {
    if (!cut) {
      inner.onBytes(chunk, piece -> forward(piece, toClient));
    }
  }

  @Override
  public GatewayError onEnd(Consumer<Buffer> toClient) {
    return cut ? null : inner.onEnd(piece -> forward(piece, toClient));
  }

  /** Whether the stream was ended at the limit: the caller's stream is complete. */
  @Override
  public boolean cutShort() {
    return cut;
  }

  @Override
  public Usage usage() {
    Usage usage = inner.usage();
    if (!cut) {
      return usage;
    }
    return new Usage(
        usage.inputTokens(), forwardedTokens, usage.cachedInputTokens(), usage.cacheWriteTokens());
  }

  @Override
  public GatewayError upstreamError() {
    return inner.upstreamError();
  }

  @Override
  public GatewayError broken() {
    return cut ? null : inner.broken();
  }

  private void forward(Buffer piece, Consumer<Buffer> toClient) {
    if (cut) {
      return;
    }
    text.setLength(0);
    if (responses != null) {
      responses.appendOutput(piece, text);
    } else {
      TokenCounter.appendAnswerText(piece, text);
    }
    long tokens = text.length() == 0 ? 0 : TokenCounter.count(text);
    if (forwardedTokens + tokens > limitTokens) {
      cut = true;
      toClient.accept(closing());
      return;
    }
    forwardedTokens += tokens;
    if (responses != null) {
      responses.forwarded(piece);
      toClient.accept(piece);
      return;
    }
    note(piece);
    toClient.accept(piece);
  }

  /** Remembers what the closing events need: the chunk id and model, the open content block. */
  private void note(Buffer piece) {
    String events = piece.toString();
    if (call.protocol() == WireProtocol.OPENAI) {
      if (id == null) {
        JsonNode first = read(SseEvents.data(piece));
        if (first != null && first.hasNonNull("id")) {
          id = first.path("id").asText();
          model = first.path("model").asText(null);
        }
      }
      return;
    }
    if (!events.contains("content_block_st")) {
      return;
    }
    for (String event : events.split("\n\n")) {
      JsonNode data = read(SseEvents.data(Buffer.buffer(event)));
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

  private Buffer closing() {
    if (responses != null) {
      return responses.closing(call.model(), usage());
    }
    return call.protocol() == WireProtocol.OPENAI ? openAiClosing() : anthropicClosing();
  }

  private Buffer openAiClosing() {
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
      Usage usage = usage();
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

  private Buffer anthropicClosing() {
    Buffer out = Buffer.buffer();
    if (openBlock >= 0) {
      ObjectNode stop = Json.MAPPER.createObjectNode();
      stop.put("type", "content_block_stop").put("index", openBlock);
      out.appendString("event: content_block_stop\ndata: " + stop + "\n\n");
    }
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", "max_tokens").putNull("stop_sequence");
    delta.putObject("usage").put("output_tokens", forwardedTokens);
    out.appendString("event: message_delta\ndata: " + delta + "\n\n");
    return out.appendString("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  private static JsonNode read(String data) {
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
