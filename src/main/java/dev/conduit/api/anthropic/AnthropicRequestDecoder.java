package dev.conduit.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ContentPart;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.Message;
import dev.conduit.core.ReasoningConfig;
import dev.conduit.core.Tool;
import dev.conduit.core.ToolCall;
import dev.conduit.core.ToolChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages request body (https://docs.anthropic.com/en/api/messages) decoded into the
 * canonical model, for {@code /v1/messages} calls routed to a provider of another protocol: {@code
 * system} becomes system turns, {@code tool_result} blocks become tool turns (placed before the
 * rest of their user turn), {@code tool_use} blocks become tool calls. Blocks the canonical model
 * cannot carry (documents, server tools) are refused with a 400 naming them.
 */
public final class AnthropicRequestDecoder {
  private static final ObjectMapper JSON = Json.MAPPER;

  private AnthropicRequestDecoder() {}

  /**
   * @throws GatewayException (400) when the body cannot be decoded
   */
  public static ChatRequest decode(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw GatewayException.badRequest("The request body is not valid JSON.", null);
    }
    List<Message> messages = new ArrayList<>();
    JsonNode system = root.get("system");
    if (system != null && system.isTextual()) {
      messages.add(Message.system(system.asText()));
    } else if (system != null && system.isArray()) {
      for (JsonNode block : system) {
        messages.add(Message.system(block.path("text").asText("")));
      }
    }
    JsonNode turns = root.path("messages");
    if (!turns.isArray()) {
      throw GatewayException.badRequest("'messages' must be an array.", "messages");
    }
    for (int i = 0; i < turns.size(); i++) {
      turn(turns.get(i), "messages[" + i + "]", messages);
    }
    ChatRequest.Builder request =
        ChatRequest.builder()
            .messages(messages)
            .tools(tools(root.path("tools")))
            .maxTokens(
                root.path("max_tokens").isIntegralNumber() ? root.get("max_tokens").asInt() : null)
            .temperature(
                root.path("temperature").isNumber() ? root.get("temperature").asDouble() : null)
            .topP(root.path("top_p").isNumber() ? root.get("top_p").asDouble() : null)
            .topK(root.path("top_k").isIntegralNumber() ? root.get("top_k").asInt() : null)
            .stop(strings(root.path("stop_sequences")))
            .user(
                root.path("metadata").path("user_id").isTextual()
                    ? root.path("metadata").path("user_id").asText()
                    : null)
            .stream(root.path("stream").asBoolean(false));
    JsonNode choice = root.get("tool_choice");
    if (choice != null && choice.isObject()) {
      request.toolChoice(
          switch (choice.path("type").asText("auto")) {
            case "any" -> ToolChoice.REQUIRED;
            case "tool" -> new ToolChoice.Named(choice.path("name").asText());
            case "none" -> ToolChoice.NONE;
            default -> ToolChoice.AUTO;
          });
      if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
        request.parallelToolCalls(false);
      }
    }
    JsonNode thinking = root.path("thinking");
    if ("enabled".equals(thinking.path("type").asText())
        && thinking.path("budget_tokens").isIntegralNumber()) {
      request.reasoning(new ReasoningConfig(null, thinking.get("budget_tokens").asInt()));
    }
    return request.build();
  }

  private static void turn(JsonNode turn, String path, List<Message> out) {
    String role = turn.path("role").asText("");
    JsonNode content = turn.get("content");
    if (!role.equals("user") && !role.equals("assistant")) {
      throw GatewayException.badRequest("Unsupported message role '" + role + "'.", path + ".role");
    }
    if (content != null && content.isTextual()) {
      out.add(
          role.equals("user")
              ? Message.user(content.asText())
              : Message.assistant(content.asText(), List.of()));
      return;
    }
    if (content == null || !content.isArray()) {
      throw GatewayException.badRequest(
          "'content' must be a string or an array of blocks.", path + ".content");
    }
    if (role.equals("assistant")) {
      out.add(assistant(content, path));
      return;
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String blockPath = path + ".content[" + i + "]";
      if ("tool_result".equals(block.path("type").asText())) {
        if (!parts.isEmpty()) {
          out.add(Message.user(parts));
          parts = new ArrayList<>();
        }
        out.add(
            new Message(
                Message.Role.TOOL,
                toolResultContent(block.get("content"), blockPath),
                null,
                block.path("tool_use_id").asText(),
                null,
                block.path("is_error").asBoolean(false)));
      } else {
        parts.add(userPart(block, blockPath));
      }
    }
    if (!parts.isEmpty()) {
      out.add(Message.user(parts));
    }
  }

  private static Message assistant(JsonNode content, String path) {
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      switch (block.path("type").asText("")) {
        case "text" -> parts.add(new ContentPart.Text(block.path("text").asText("")));
        case "thinking" ->
            parts.add(
                new ContentPart.Reasoning(
                    block.path("thinking").asText(""), block.path("signature").asText(null)));
        case "redacted_thinking" -> {} // opaque to every other provider
        case "tool_use" ->
            calls.add(
                new ToolCall(
                    block.path("id").asText(),
                    block.path("name").asText(),
                    block.path("input").toString()));
        default -> throw unsupportedBlock(block, path + ".content[" + i + "]");
      }
    }
    return new Message(Message.Role.ASSISTANT, parts, calls, null, null, false);
  }

  private static ContentPart userPart(JsonNode block, String path) {
    return switch (block.path("type").asText("")) {
      case "text" -> new ContentPart.Text(block.path("text").asText(""));
      case "image" -> image(block.path("source"), path);
      default -> throw unsupportedBlock(block, path);
    };
  }

  private static List<ContentPart> toolResultContent(JsonNode content, String path) {
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isTextual()) {
      return List.of(new ContentPart.Text(content.asText()));
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      parts.add(userPart(content.get(i), path + ".content[" + i + "]"));
    }
    return parts;
  }

  private static ContentPart.Image image(JsonNode source, String path) {
    return switch (source.path("type").asText("")) {
      case "base64" ->
          ContentPart.Image.inline(
              source.path("media_type").asText(), source.path("data").asText(), null);
      case "url" -> ContentPart.Image.remote(source.path("url").asText(), null);
      default ->
          throw GatewayException.badRequest(
              "Image sources of type '"
                  + source.path("type").asText("")
                  + "' cannot be translated for this model.",
              path + ".source.type");
    };
  }

  private static List<Tool> tools(JsonNode tools) {
    List<Tool> out = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("custom");
      if (!type.equals("custom")) {
        throw GatewayException.badRequest(
            "Server tools ('"
                + type
                + "') run only on "
                + "Anthropic's own API and cannot be translated for this model.",
            "tools[" + i + "].type");
      }
      JsonNode schema = tool.get("input_schema");
      out.add(
          new Tool(
              tool.path("name").asText(),
              tool.path("description").asText(null),
              schema == null || schema.isNull() ? null : schema,
              null));
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(value -> out.add(value.asText()));
    return out;
  }

  private static GatewayException unsupportedBlock(JsonNode block, String path) {
    return GatewayException.badRequest(
        "Content blocks of type '"
            + block.path("type").asText("")
            + "' cannot be translated for this model.",
        path + ".type");
  }
}
