package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link MockUpstream}'s answers on {@code POST /responses}, in OpenAI's Responses API: "Hello from
 * mock" as one message item (streamed as three {@code response.output_text.delta} events), or for
 * model {@code tool-call} one {@code get_weather} function call (its arguments streamed in three
 * pieces). Usage 12 input tokens (5 cached), 3 output tokens (2 of them reasoning). Each response
 * has a new id, {@code resp_mock<N>}.
 */
final class MockResponsesApi {
  static final List<String> ARGUMENT_PIECES = List.of("{\"ci", "ty\": \"Pa", "ris\"}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicInteger ids = new AtomicInteger();

  void answer(HttpServerResponse response, JsonNode request, String model) {
    String id = "resp_mock" + ids.incrementAndGet();
    boolean toolCall = model.equals("tool-call");
    ObjectNode item =
        toolCall
            ? functionCall(String.join("", ARGUMENT_PIECES), "completed")
            : message(MockUpstream.TEXT, "completed");
    if (!request.path("stream").asBoolean(false)) {
      ObjectNode body = response(id, model, "completed");
      ((ArrayNode) body.get("output")).add(item);
      body.set("usage", usage());
      response
          .setStatusCode(200)
          .putHeader("Content-Type", "application/json")
          .end(body.toString());
      return;
    }
    response.setChunked(true).putHeader("Content-Type", "text/event-stream");
    Sequence events = new Sequence(response);
    ObjectNode started = response(id, model, "in_progress");
    events.send("response.created", JSON.createObjectNode().set("response", started));
    events.send("response.in_progress", JSON.createObjectNode().set("response", started));
    ObjectNode added = toolCall ? functionCall("", "in_progress") : message(null, "in_progress");
    events.send(
        "response.output_item.added",
        JSON.createObjectNode().put("output_index", 0).set("item", added));
    if (toolCall) {
      for (String piece : ARGUMENT_PIECES) {
        events.send(
            "response.function_call_arguments.delta",
            JSON.createObjectNode()
                .put("item_id", "fc_mock")
                .put("output_index", 0)
                .put("delta", piece));
      }
      events.send(
          "response.function_call_arguments.done",
          JSON.createObjectNode()
              .put("item_id", "fc_mock")
              .put("output_index", 0)
              .put("arguments", String.join("", ARGUMENT_PIECES)));
    } else {
      events.send("response.content_part.added", part("msg_mock").set("part", text("")));
      for (String piece : MockUpstream.STREAM_PIECES) {
        events.send(
            "response.output_text.delta",
            part("msg_mock").put("delta", piece).set("logprobs", JSON.createArrayNode()));
      }
      events.send(
          "response.output_text.done",
          part("msg_mock").put("text", MockUpstream.TEXT).set("logprobs", JSON.createArrayNode()));
      events.send(
          "response.content_part.done", part("msg_mock").set("part", text(MockUpstream.TEXT)));
    }
    events.send(
        "response.output_item.done",
        JSON.createObjectNode().put("output_index", 0).set("item", item));
    ObjectNode done = response(id, model, "completed");
    ((ArrayNode) done.get("output")).add(item);
    done.set("usage", usage());
    events.send("response.completed", JSON.createObjectNode().set("response", done));
    response.end();
  }

  private static ObjectNode part(String itemId) {
    return JSON.createObjectNode()
        .put("item_id", itemId)
        .put("output_index", 0)
        .put("content_index", 0);
  }

  private static ObjectNode response(String id, String model, String status) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("id", id)
            .put("object", "response")
            .put("created_at", 1)
            .put("status", status)
            .put("model", model)
            .put("parallel_tool_calls", true)
            .put("temperature", 1.0)
            .put("top_p", 1.0)
            .put("tool_choice", "auto");
    body.putNull("error");
    body.putNull("incomplete_details");
    body.putNull("instructions");
    body.putArray("output");
    body.putArray("tools");
    body.putObject("metadata");
    return body;
  }

  private static ObjectNode message(String content, String status) {
    ObjectNode item =
        JSON.createObjectNode()
            .put("id", "msg_mock")
            .put("type", "message")
            .put("status", status)
            .put("role", "assistant");
    ArrayNode parts = item.putArray("content");
    if (content != null) {
      parts.add(text(content));
    }
    return item;
  }

  private static ObjectNode text(String text) {
    ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    return part;
  }

  private static ObjectNode functionCall(String arguments, String status) {
    return JSON.createObjectNode()
        .put("id", "fc_mock")
        .put("type", "function_call")
        .put("status", status)
        .put("call_id", "call_mock1")
        .put("name", "get_weather")
        .put("arguments", arguments);
  }

  private static ObjectNode usage() {
    ObjectNode usage = JSON.createObjectNode().put("input_tokens", 12);
    usage.putObject("input_tokens_details").put("cached_tokens", 5);
    usage.put("output_tokens", 3);
    usage.putObject("output_tokens_details").put("reasoning_tokens", 2);
    return usage.put("total_tokens", 15);
  }

  /** Writes events with their type and sequence number. */
  private static final class Sequence {
    private final HttpServerResponse response;
    private int next;

    Sequence(HttpServerResponse response) {
      this.response = response;
    }

    void send(String type, ObjectNode data) {
      ObjectNode event = JSON.createObjectNode().put("type", type).put("sequence_number", next++);
      event.setAll(data);
      response.write("event: " + type + "\ndata: " + event + "\n\n");
    }
  }
}
