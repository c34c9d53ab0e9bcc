package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.Usage;
import dev.conduit.pipeline.StreamEncoder;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Canonical chunks as a Responses stream
 * (https://platform.openai.com/docs/api-reference/responses-streaming): {@code response.created}
 * and {@code response.in_progress} before the first output, one output item per run of text,
 * reasoning or tool call ({@code response.output_item.added}, its deltas, {@code .done} events,
 * {@code response.output_item.done}), then {@code response.completed} (or {@code
 * response.incomplete}) with the whole response and its usage. Every event carries its {@code
 * sequence_number}. One per streamed answer, on the call's event loop.
 */
public final class ResponsesStreamEncoder implements StreamEncoder {
  private enum Open {
    NONE,
    MESSAGE,
    REASONING,
    TOOL
  }

  private final ResponseMeta meta;
  private final ItemIds ids;
  private final Consumer<ObjectNode> onCompleted;
  private final ArrayNode output = Json.MAPPER.createArrayNode();

  /** Output index of each tool call, by canonical tool-call index. */
  private final Map<Integer, Integer> toolItems = new HashMap<>();

  private String model;
  private boolean started;
  private int sequence;
  private Open open = Open.NONE;
  private String itemId;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder signature = new StringBuilder();
  private FinishReason finishReason;
  private Usage usage = Usage.NONE;

  /**
   * @param onCompleted gets the final response object once the stream completed properly
   */
  public ResponsesStreamEncoder(ResponseMeta meta, ItemIds ids, Consumer<ObjectNode> onCompleted) {
    this.meta = meta;
    this.ids = ids;
    this.onCompleted = onCompleted;
  }

  @Override
  public void encode(StreamChunk chunk, Consumer<Buffer> out) {
    if (chunk instanceof StreamChunk.Start start) {
      model = start.model();
    } else if (chunk instanceof StreamChunk.TextDelta delta) {
      if (delta.text().isEmpty()) {
        return;
      }
      ensureOpen(Open.MESSAGE, out);
      text.append(delta.text());
      out.accept(
          event(
              contentEvent("response.output_text.delta")
                  .put("delta", delta.text())
                  .set("logprobs", Json.MAPPER.createArrayNode())));
    } else if (chunk instanceof StreamChunk.ReasoningDelta reasoning) {
      reasoning(reasoning, out);
    } else if (chunk instanceof StreamChunk.ToolCallDelta call) {
      toolCall(call, out);
    } else if (chunk instanceof StreamChunk.Finish finish) {
      finishReason = finish.reason();
    } else if (chunk instanceof StreamChunk.UsageUpdate update) {
      usage = update.usage();
    } else if (chunk instanceof StreamChunk.Failure failure) {
      started = true;
      out.accept(ResponsesErrors.event(failure.error(), sequence++));
    }
  }

  private void reasoning(StreamChunk.ReasoningDelta reasoning, Consumer<Buffer> out) {
    if (!reasoning.text().isEmpty()) {
      ensureOpen(Open.REASONING, out);
      text.append(reasoning.text());
      out.accept(
          event(contentEvent("response.reasoning_text.delta").put("delta", reasoning.text())));
    }
    if (reasoning.signature() != null && open == Open.REASONING) {
      signature.append(reasoning.signature());
    }
  }

  private void toolCall(StreamChunk.ToolCallDelta call, Consumer<Buffer> out) {
    Integer index = toolItems.get(call.index());
    if (index == null) {
      ensureStarted(out);
      close(out);
      open = Open.TOOL;
      itemId = ids.next("fc");
      index = output.size();
      toolItems.put(call.index(), index);
      ObjectNode item =
          OutputItems.functionCall(
              itemId,
              call.id() != null ? call.id() : ids.next("call"),
              call.name() != null ? call.name() : "",
              "",
              false);
      output.add(item);
      out.accept(
          event(
              typed("response.output_item.added")
                  .put("output_index", index)
                  .set("item", item.deepCopy())));
    }
    if (!call.arguments().isEmpty()) {
      ObjectNode item = (ObjectNode) output.get(index);
      item.put("arguments", item.path("arguments").asText() + call.arguments());
      out.accept(
          event(
              typed("response.function_call_arguments.delta")
                  .put("item_id", item.path("id").asText())
                  .put("output_index", index)
                  .put("delta", call.arguments())));
    }
  }

  @Override
  public void finish(Consumer<Buffer> out) {
    ensureStarted(out);
    close(out);
    ObjectNode response = ResponseObject.build(meta, model, output, finishReason, usage);
    String name =
        ResponseObject.incompleteReason(finishReason) != null
            ? "response.incomplete"
            : "response.completed";
    out.accept(event(typed(name).set("response", response)));
    onCompleted.accept(response);
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
    ObjectNode response = ResponseObject.build(meta, model, null, null, null);
    out.accept(event(typed("response.created").set("response", response)));
    out.accept(event(typed("response.in_progress").set("response", response)));
  }

  private void ensureOpen(Open kind, Consumer<Buffer> out) {
    ensureStarted(out);
    if (open == kind) {
      return;
    }
    close(out);
    open = kind;
    text.setLength(0);
    signature.setLength(0);
    ObjectNode item;
    if (kind == Open.MESSAGE) {
      itemId = ids.next("msg");
      item = OutputItems.message(itemId, null);
    } else {
      itemId = ids.next("rs");
      item = OutputItems.reasoning(itemId, null, null);
    }
    output.add(item);
    out.accept(
        event(
            typed("response.output_item.added")
                .put("output_index", output.size() - 1)
                .set("item", item)));
    if (kind == Open.MESSAGE) {
      out.accept(
          event(
              contentEvent("response.content_part.added").set("part", OutputItems.outputText(""))));
    }
  }

  /** Ends the open item: its closing events, and its final form in the output. */
  private void close(Consumer<Buffer> out) {
    int index = output.size() - 1;
    switch (open) {
      case NONE -> {
        return;
      }
      case MESSAGE -> {
        String done = text.toString();
        out.accept(
            event(
                contentEvent("response.output_text.done")
                    .put("text", done)
                    .set("logprobs", Json.MAPPER.createArrayNode())));
        out.accept(
            event(
                contentEvent("response.content_part.done")
                    .set("part", OutputItems.outputText(done))));
        output.set(
            index,
            OutputItems.message(
                itemId, done, ResponseObject.incompleteReason(finishReason) != null));
      }
      case REASONING -> {
        String done = text.toString();
        out.accept(event(contentEvent("response.reasoning_text.done").put("text", done)));
        output.set(index, OutputItems.reasoning(itemId, done, signature.toString()));
      }
      case TOOL -> {
        for (Map.Entry<Integer, Integer> entry : toolItems.entrySet()) {
          ObjectNode item = (ObjectNode) output.get(entry.getValue());
          if (!"in_progress".equals(item.path("status").asText())) {
            continue;
          }
          item.put("status", "completed");
          out.accept(
              event(
                  typed("response.function_call_arguments.done")
                      .put("item_id", item.path("id").asText())
                      .put("output_index", entry.getValue())
                      .put("name", item.path("name").asText())
                      .put("arguments", item.path("arguments").asText())));
          out.accept(
              event(
                  typed("response.output_item.done")
                      .put("output_index", entry.getValue())
                      .set("item", item.deepCopy())));
        }
        open = Open.NONE;
        return;
      }
    }
    out.accept(
        event(
            typed("response.output_item.done")
                .put("output_index", index)
                .set("item", output.get(index).deepCopy())));
    open = Open.NONE;
  }

  private ObjectNode typed(String type) {
    return Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
  }

  /** An event about the open item's first content part. */
  private ObjectNode contentEvent(String type) {
    return typed(type)
        .put("item_id", itemId)
        .put("output_index", output.size() - 1)
        .put("content_index", 0);
  }

  private static Buffer event(ObjectNode data) {
    return Buffer.buffer("event: " + data.path("type").asText() + "\ndata: " + data + "\n\n");
  }
}
