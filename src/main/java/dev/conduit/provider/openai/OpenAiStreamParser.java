package dev.conduit.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.FinishReason;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.sse.SseStreamParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An OpenAI Chat Completions stream (server-sent {@code data:} chunks ending with {@code [DONE]})
 * to canonical chunks. Copes with the compatible servers' habits: usage on the finish chunk or on a
 * chunk of its own, a repeated finish chunk (OpenRouter), Azure's prompt-filter chunk with no id,
 * whole tool calls in one delta (Groq), and parallel calls that share an index but differ in id
 * (some Ollama models).
 */
public final class OpenAiStreamParser extends SseStreamParser {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final Function<JsonNode, GatewayError> errorMapper;

  /** Canonical tool-call index per upstream index, and the id seen there. */
  private final List<Integer> upstreamIndexes = new ArrayList<>();

  private final List<String> upstreamIds = new ArrayList<>();
  private boolean started;
  private boolean finished;
  private boolean done;
  private boolean failed;

  /**
   * @param errorMapper turns a mid-stream {@code {"error":{...}}} payload into the caller's error
   */
  public OpenAiStreamParser(Function<JsonNode, GatewayError> errorMapper) {
    this.errorMapper = errorMapper;
  }

  @Override
  protected void onEvent(String name, String data, Consumer<StreamChunk> out) {
    if (data.equals("[DONE]")) {
      done = true;
      return;
    }
    if (name != null && !name.equals("message")) {
      out.accept(new StreamChunk.Unknown(name, data));
      return;
    }
    JsonNode chunk;
    try {
      chunk = JSON.readTree(data);
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("a stream event is not valid JSON");
    }
    if (chunk == null || !chunk.isObject()) {
      throw new InvalidUpstreamResponse("a stream event is not a JSON object");
    }
    if (chunk.has("error")) {
      failed = true;
      out.accept(new StreamChunk.Failure(errorMapper.apply(chunk)));
      return;
    }
    String id = OpenAiResponseConverter.textOrNull(chunk.get("id"));
    if (!started && id != null && !id.isEmpty()) {
      started = true;
      out.accept(new StreamChunk.Start(id, OpenAiResponseConverter.textOrNull(chunk.get("model"))));
    }
    boolean known = false;
    for (JsonNode choice : chunk.path("choices")) {
      known = true;
      if (choice.path("index").asInt(0) != 0) {
        continue; // the gateway asks for one choice when it translates
      }
      delta(choice.path("delta"), out);
      String reason = OpenAiResponseConverter.textOrNull(choice.get("finish_reason"));
      if (reason != null && !finished) {
        finished = true;
        FinishReason finish = OpenAiResponseConverter.finishReason(reason);
        out.accept(new StreamChunk.Finish(finish, null));
      }
    }
    Usage usage = OpenAiResponseConverter.usage(chunk);
    if (usage.isKnown()) {
      known = true;
      out.accept(new StreamChunk.UsageUpdate(usage));
    }
    if (!known && !chunk.has("choices")) {
      out.accept(new StreamChunk.Unknown("chunk", data));
    }
  }

  private void delta(JsonNode delta, Consumer<StreamChunk> out) {
    String reasoning = OpenAiResponseConverter.reasoningOf(delta);
    if (reasoning != null && !reasoning.isEmpty()) {
      out.accept(new StreamChunk.ReasoningDelta(reasoning, null));
    }
    JsonNode content = delta.get("content");
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      out.accept(new StreamChunk.TextDelta(content.asText()));
    }
    JsonNode calls = delta.path("tool_calls");
    for (int position = 0; position < calls.size(); position++) {
      JsonNode call = calls.get(position);
      JsonNode function = call.path("function");
      String callId = OpenAiResponseConverter.textOrNull(call.get("id"));
      String name = OpenAiResponseConverter.textOrNull(function.get("name"));
      String arguments = OpenAiResponseConverter.textOrNull(function.get("arguments"));
      int index = canonicalIndex(call.path("index").asInt(position), callId);
      boolean first = callId != null && !callId.isEmpty();
      if (first || (arguments != null && !arguments.isEmpty()) || name != null) {
        out.accept(
            new StreamChunk.ToolCallDelta(
                index, first ? callId : null, name, arguments == null ? "" : arguments));
      }
    }
  }

  /** Maps an upstream tool-call index to ours; a new id at a used index is a new call. */
  private int canonicalIndex(int upstreamIndex, String callId) {
    int found = -1;
    for (int i = upstreamIndexes.size() - 1; i >= 0; i--) {
      if (upstreamIndexes.get(i) == upstreamIndex) {
        found = i;
        break;
      }
    }
    boolean newCall =
        found < 0
            || (callId != null
                && !callId.isEmpty()
                && upstreamIds.get(found) != null
                && !callId.equals(upstreamIds.get(found)));
    if (newCall) {
      upstreamIndexes.add(upstreamIndex);
      upstreamIds.add(callId);
      return upstreamIndexes.size() - 1;
    }
    if (upstreamIds.get(found) == null && callId != null) {
      upstreamIds.set(found, callId);
    }
    return found;
  }

  @Override
  protected String missingAtEnd(Consumer<StreamChunk> out) {
    if (done || failed) {
      return null;
    }
    return "the stream ended without its final [DONE] event";
  }
}
