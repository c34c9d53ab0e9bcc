package dev.conduit.api.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Ids;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.Usage;
import dev.conduit.pipeline.StreamEncoder;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Canonical chunks as an Anthropic Messages stream: {@code message_start}, one content block per
 * run of text, reasoning or tool call ({@code content_block_start}, deltas, {@code
 * content_block_stop}), then {@code message_delta} with the stop reason and the final usage, and
 * {@code message_stop}. Usage from upstreams that report it only at the end (OpenAI) arrives in
 * {@code message_delta}, which Anthropic defines as cumulative.
 */
public final class AnthropicStreamEncoder implements StreamEncoder {
  private static final ObjectMapper JSON = Json.MAPPER;

  private enum Block {
    NONE,
    TEXT,
    THINKING,
    TOOL
  }

  private String id;
  private String model;
  private boolean started;
  private Block open = Block.NONE;
  private int openIndex = -1;
  private int blocks;

  /** Content block index of each tool call, by canonical tool-call index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();

  private FinishReason finishReason;
  private String stopSequence;
  private Usage usage = Usage.NONE;

  @Override
  public void encode(StreamChunk chunk, Consumer<Buffer> out) {
    if (chunk instanceof StreamChunk.Start start) {
      id = start.id();
      model = start.model();
    } else if (chunk instanceof StreamChunk.TextDelta text) {
      ensureBlock(Block.TEXT, out);
      delta(JSON.createObjectNode().put("type", "text_delta").put("text", text.text()), out);
    } else if (chunk instanceof StreamChunk.ReasoningDelta reasoning) {
      if (!reasoning.text().isEmpty()) {
        ensureBlock(Block.THINKING, out);
        delta(
            JSON.createObjectNode().put("type", "thinking_delta").put("thinking", reasoning.text()),
            out);
      }
      if (reasoning.signature() != null && open == Block.THINKING) {
        delta(
            JSON.createObjectNode()
                .put("type", "signature_delta")
                .put("signature", reasoning.signature()),
            out);
      }
    } else if (chunk instanceof StreamChunk.ToolCallDelta call) {
      toolCall(call, out);
    } else if (chunk instanceof StreamChunk.Finish finish) {
      finishReason = finish.reason();
      stopSequence = finish.stopSequence();
    } else if (chunk instanceof StreamChunk.UsageUpdate update) {
      usage = update.usage();
    } else if (chunk instanceof StreamChunk.Failure failure) {
      started = true;
      out.accept(AnthropicErrors.INSTANCE.streamEvent(failure.error()));
    }
  }

  private void toolCall(StreamChunk.ToolCallDelta call, Consumer<Buffer> out) {
    Integer block = toolBlocks.get(call.index());
    if (block == null) {
      ensureStarted(out);
      closeBlock(out);
      block = blocks++;
      toolBlocks.put(call.index(), block);
      open = Block.TOOL;
      openIndex = block;
      ObjectNode start =
          JSON.createObjectNode().put("type", "content_block_start").put("index", block);
      start
          .putObject("content_block")
          .put("type", "tool_use")
          .put("id", call.id() != null ? call.id() : "toolu_" + Ids.uuid7())
          .put("name", call.name() != null ? call.name() : "")
          .putObject("input");
      out.accept(event("content_block_start", start));
    }
    if (!call.arguments().isEmpty()) {
      ObjectNode delta =
          JSON.createObjectNode().put("type", "content_block_delta").put("index", block);
      delta
          .putObject("delta")
          .put("type", "input_json_delta")
          .put("partial_json", call.arguments());
      out.accept(event("content_block_delta", delta));
    }
  }

  @Override
  public void finish(Consumer<Buffer> out) {
    ensureStarted(out);
    closeBlock(out);
    ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
    ObjectNode stop =
        delta
            .putObject("delta")
            .put("stop_reason", AnthropicResponseEncoder.stopReason(finishReason));
    if (stopSequence != null) {
      stop.put("stop_sequence", stopSequence);
    } else {
      stop.putNull("stop_sequence");
    }
    delta.set("usage", AnthropicResponseEncoder.usage(usage));
    out.accept(event("message_delta", delta));
    out.accept(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
  }

  @Override
  public boolean started() {
    return started;
  }

  private void ensureStarted(Consumer<Buffer> out) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode start = JSON.createObjectNode().put("type", "message_start");
    ObjectNode message =
        start
            .putObject("message")
            .put("id", id != null ? id : "msg_" + Ids.uuid7())
            .put("type", "message")
            .put("role", "assistant")
            .put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", AnthropicResponseEncoder.usage(usage));
    out.accept(event("message_start", start));
  }

  private void ensureBlock(Block kind, Consumer<Buffer> out) {
    ensureStarted(out);
    if (open == kind) {
      return;
    }
    closeBlock(out);
    open = kind;
    openIndex = blocks++;
    ObjectNode start =
        JSON.createObjectNode().put("type", "content_block_start").put("index", openIndex);
    ObjectNode block = start.putObject("content_block");
    if (kind == Block.TEXT) {
      block.put("type", "text").put("text", "");
    } else {
      block.put("type", "thinking").put("thinking", "").put("signature", "");
    }
    out.accept(event("content_block_start", start));
  }

  private void closeBlock(Consumer<Buffer> out) {
    if (open == Block.NONE) {
      return;
    }
    out.accept(
        event(
            "content_block_stop",
            JSON.createObjectNode().put("type", "content_block_stop").put("index", openIndex)));
    open = Block.NONE;
  }

  private void delta(ObjectNode delta, Consumer<Buffer> out) {
    ObjectNode event =
        JSON.createObjectNode().put("type", "content_block_delta").put("index", openIndex);
    event.set("delta", delta);
    out.accept(event("content_block_delta", event));
  }

  private static Buffer event(String name, ObjectNode data) {
    return Buffer.buffer("event: " + name + "\ndata: " + data + "\n\n");
  }
}
