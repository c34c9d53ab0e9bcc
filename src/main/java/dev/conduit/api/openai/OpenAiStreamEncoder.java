package dev.conduit.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Ids;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.Usage;
import dev.conduit.pipeline.StreamEncoder;
import dev.conduit.web.OpenAiErrors;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Canonical chunks as an OpenAI {@code chat.completion.chunk} stream: a first chunk with the
 * assistant role, content, reasoning ({@code reasoning_content}) and tool-call deltas, exactly one
 * finish chunk, the usage chunk ({@code choices: []}) when the caller asked for it, then {@code
 * data: [DONE]}. A mid-stream upstream error becomes a {@code data: {"error":...}} event.
 */
public final class OpenAiStreamEncoder implements StreamEncoder {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final boolean includeUsage;
  private final long created;
  private String id;
  private String model;
  private boolean started;
  private boolean finished;
  private Usage usage = Usage.NONE;

  /**
   * @param includeUsage whether the caller asked for {@code stream_options.include_usage}
   * @param created the {@code created} timestamp of every chunk (epoch seconds)
   */
  public OpenAiStreamEncoder(boolean includeUsage, long created) {
    this.includeUsage = includeUsage;
    this.created = created;
  }

  @Override
  public void encode(StreamChunk chunk, Consumer<Buffer> out) {
    if (chunk instanceof StreamChunk.Start start) {
      id = start.id();
      model = start.model();
    } else if (chunk instanceof StreamChunk.TextDelta text) {
      ObjectNode delta = JSON.createObjectNode().put("content", text.text());
      write(delta, null, out);
    } else if (chunk instanceof StreamChunk.ReasoningDelta reasoning) {
      if (!reasoning.text().isEmpty()) {
        write(JSON.createObjectNode().put("reasoning_content", reasoning.text()), null, out);
      }
    } else if (chunk instanceof StreamChunk.ToolCallDelta call) {
      ObjectNode delta = JSON.createObjectNode();
      ObjectNode item = delta.putArray("tool_calls").addObject().put("index", call.index());
      if (call.id() != null) {
        item.put("id", call.id()).put("type", "function");
      }
      ObjectNode function = item.putObject("function");
      if (call.name() != null) {
        function.put("name", call.name());
      }
      function.put("arguments", call.arguments());
      write(delta, null, out);
    } else if (chunk instanceof StreamChunk.Finish finish) {
      finish(finish.reason(), out);
    } else if (chunk instanceof StreamChunk.UsageUpdate update) {
      usage = update.usage();
    } else if (chunk instanceof StreamChunk.Failure failure) {
      started = true;
      out.accept(OpenAiErrors.streamEvent(failure.error()));
    }
    // Unknown chunks have no OpenAI form.
  }

  @Override
  public void finish(Consumer<Buffer> out) {
    finish(FinishReason.STOP, out);
    if (includeUsage) {
      ObjectNode chunk = envelope();
      chunk.putArray("choices");
      chunk.set("usage", OpenAiResponseEncoder.usage(usage));
      out.accept(event(chunk));
    }
    out.accept(DONE.copy());
  }

  @Override
  public boolean started() {
    return started;
  }

  private void finish(FinishReason reason, Consumer<Buffer> out) {
    if (!finished) {
      finished = true;
      write(JSON.createObjectNode(), OpenAiResponseEncoder.finishReason(reason), out);
    }
  }

  private void write(ObjectNode delta, String finishReason, Consumer<Buffer> out) {
    if (!started) {
      started = true;
      ObjectNode role = JSON.createObjectNode().put("role", "assistant").put("content", "");
      out.accept(event(chunk(role, null)));
    }
    out.accept(event(chunk(delta, finishReason)));
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = envelope();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    if (includeUsage) {
      chunk.putNull("usage");
    }
    return chunk;
  }

  private ObjectNode envelope() {
    if (id == null) {
      id = "chatcmpl-" + Ids.uuid7();
    }
    return JSON.createObjectNode()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model);
  }

  private static Buffer event(ObjectNode chunk) {
    return Buffer.buffer("data: " + chunk + "\n\n");
  }
}
