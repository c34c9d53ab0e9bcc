package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Json;
import dev.conduit.core.ToolCall;

/**
 * A canonical answer as a Responses {@code response} object: a reasoning item when the model showed
 * its reasoning, a message item for its text, a {@code function_call} item per tool call.
 */
public final class ResponsesResponseEncoder {
  private ResponsesResponseEncoder() {}

  public static ObjectNode encode(ChatResponse response, ResponseMeta meta, ItemIds ids) {
    ArrayNode output = Json.MAPPER.createArrayNode();
    if (response.reasoning() != null && !response.reasoning().isEmpty()) {
      output.add(OutputItems.reasoning(ids.next("rs"), response.reasoning(), null));
    }
    if (response.text() != null && !response.text().isEmpty()) {
      boolean cut = ResponseObject.incompleteReason(response.finishReason()) != null;
      output.add(OutputItems.message(ids.next("msg"), response.text(), cut));
    }
    for (ToolCall call : response.toolCalls()) {
      output.add(
          OutputItems.functionCall(ids.next("fc"), call.id(), call.name(), call.arguments(), true));
    }
    return ResponseObject.build(
        meta, response.model(), output, response.finishReason(), response.usage());
  }
}
