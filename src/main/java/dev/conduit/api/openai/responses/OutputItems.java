package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;

/** The output items of a translated response, complete or as they start in a stream. */
final class OutputItems {
  private OutputItems() {}

  /** An assistant message; {@code text} null while it is in progress (no content part yet). */
  static ObjectNode message(String id, String text) {
    return message(id, text, false);
  }

  /**
   * @param cut whether the answer was cut short (its status is then {@code incomplete})
   */
  static ObjectNode message(String id, String text, boolean cut) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    String status = text == null ? "in_progress" : cut ? "incomplete" : "completed";
    item.put("id", id).put("type", "message").put("status", status);
    item.put("role", "assistant");
    if (text == null) {
      item.putArray("content");
    } else {
      item.putArray("content").add(outputText(text));
    }
    return item;
  }

  static ObjectNode outputText(String text) {
    ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    return part;
  }

  /** A function call; {@code done} false while its arguments are streamed. */
  static ObjectNode functionCall(
      String id, String callId, String name, String arguments, boolean done) {
    return Json.MAPPER
        .createObjectNode()
        .put("id", id)
        .put("type", "function_call")
        .put("status", done ? "completed" : "in_progress")
        .put("arguments", arguments)
        .put("call_id", callId)
        .put("name", name);
  }

  /**
   * Reasoning the model showed, as a reasoning item with its text; a provider's signature for it
   * (Anthropic's) rides in {@code encrypted_content}, so a continuation can hand it back.
   */
  static ObjectNode reasoning(String id, String text, String signature) {
    ObjectNode item = Json.MAPPER.createObjectNode().put("id", id).put("type", "reasoning");
    item.putArray("summary");
    if (text != null) {
      item.putArray("content").addObject().put("type", "reasoning_text").put("text", text);
    }
    if (signature != null && !signature.isEmpty()) {
      item.put("encrypted_content", signature);
    }
    return item;
  }
}
