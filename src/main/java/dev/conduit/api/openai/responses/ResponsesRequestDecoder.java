package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ContentPart;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Message;
import dev.conduit.core.ReasoningConfig;
import dev.conduit.core.ResponseFormat;
import dev.conduit.core.Tool;
import dev.conduit.core.ToolCall;
import dev.conduit.core.ToolChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * A Responses request (https://platform.openai.com/docs/api-reference/responses/create) decoded
 * into the canonical model, for providers without a Responses API: {@code instructions} become the
 * system turn, {@code input} items become turns ({@code function_call} items join the assistant
 * turn before them, {@code function_call_output} items become tool turns, {@code reasoning} items
 * reasoning parts), function {@code tools}, {@code tool_choice}, {@code text.format}, {@code
 * reasoning.effort}, {@code max_output_tokens}, sampling. Built-in tools and items the canonical
 * model cannot carry (files, references to stored items) are refused with a 400 naming them.
 */
public final class ResponsesRequestDecoder {
  private ResponsesRequestDecoder() {}

  /**
   * @param request the caller's body
   * @param conversation the input items to decode: stored earlier turns, then this turn's input
   * @throws GatewayException (400) when something cannot be translated
   */
  public static ChatRequest decode(ResponsesRequest request, JsonNode conversation) {
    JsonNode root = request.root();
    List<Message> messages = new ArrayList<>();
    JsonNode instructions = root.get("instructions");
    if (instructions != null && instructions.isTextual()) {
      messages.add(Message.system(instructions.asText()));
    }
    ResponsesInputItems.decode(conversation, messages);
    ChatRequest.Builder chat =
        ChatRequest.builder()
            .messages(messages)
            .tools(tools(root.path("tools")))
            .toolChoice(toolChoice(root.get("tool_choice")))
            .parallelToolCalls(
                root.path("parallel_tool_calls").isBoolean()
                    ? root.get("parallel_tool_calls").asBoolean()
                    : null)
            .maxTokens(
                root.path("max_output_tokens").isIntegralNumber()
                    ? root.get("max_output_tokens").asInt()
                    : null)
            .temperature(
                root.path("temperature").isNumber() ? root.get("temperature").asDouble() : null)
            .topP(root.path("top_p").isNumber() ? root.get("top_p").asDouble() : null)
            .responseFormat(format(root.path("text").path("format")))
            .user(user(root))
            .stream(root.path("stream").asBoolean(false));
    JsonNode effort = root.path("reasoning").path("effort");
    if (effort.isTextual()) {
      chat.reasoning(new ReasoningConfig(effort.asText(), null));
    }
    return chat.build();
  }

  private static String user(JsonNode root) {
    if (root.path("user").isTextual()) {
      return root.get("user").asText();
    }
    return root.path("safety_identifier").isTextual()
        ? root.get("safety_identifier").asText()
        : null;
  }

  private static List<Tool> tools(JsonNode tools) {
    List<Tool> out = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("");
      if (!type.equals("function")) {
        throw builtInTool(type, "tools[" + i + "].type");
      }
      JsonNode parameters = tool.get("parameters");
      out.add(
          new Tool(
              tool.path("name").asText(),
              tool.path("description").isTextual() ? tool.get("description").asText() : null,
              parameters == null || parameters.isNull() ? null : parameters,
              tool.path("strict").isBoolean() ? tool.get("strict").asBoolean() : null));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> ToolChoice.AUTO;
      };
    }
    String type = choice.path("type").asText("");
    return switch (type) {
      case "function" -> new ToolChoice.Named(choice.path("name").asText());
      case "allowed_tools" ->
          "required".equals(choice.path("mode").asText()) ? ToolChoice.REQUIRED : ToolChoice.AUTO;
      default -> throw builtInTool(type, "tool_choice.type");
    };
  }

  private static ResponseFormat format(JsonNode format) {
    return switch (format.path("type").asText("")) {
      case "json_schema" ->
          new ResponseFormat.JsonSchema(
              format.path("name").asText("response"),
              format.path("description").isTextual() ? format.get("description").asText() : null,
              format.get("schema"),
              format.path("strict").isBoolean() ? format.get("strict").asBoolean() : null);
      case "json_object" -> new ResponseFormat.JsonObject();
      case "text" -> new ResponseFormat.Text();
      default -> null;
    };
  }

  /** The refusal of a built-in tool (web_search, file_search, ...) on a provider without it. */
  static GatewayException builtInTool(String type, String param) {
    return GatewayException.badRequest(
        "The built-in tool '"
            + type
            + "' runs only on OpenAI's own Responses API and cannot be translated for this model;"
            + " use function tools, or route the model to an OpenAI deployment.",
        param);
  }

  /** A tool call item as the canonical model's tool call. */
  static ToolCall toolCall(JsonNode item) {
    return new ToolCall(
        item.path("call_id").asText(item.path("id").asText()),
        item.path("name").asText(),
        item.path("arguments").asText("{}"));
  }

  static ContentPart.Text text(JsonNode part) {
    return new ContentPart.Text(part.path("text").asText(""));
  }
}
