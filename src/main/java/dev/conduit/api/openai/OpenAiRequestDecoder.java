package dev.conduit.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ContentPart;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.Message;
import dev.conduit.core.ReasoningConfig;
import dev.conduit.core.ResponseFormat;
import dev.conduit.core.Tool;
import dev.conduit.core.ToolCall;
import dev.conduit.core.ToolChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI Chat Completions request body (https://platform.openai.com/docs/api-reference/chat)
 * decoded into the canonical model, for calls that are translated to another protocol. What the
 * canonical model cannot carry (audio, files, the deprecated {@code functions}) is refused with a
 * 400 naming the field; fields that only matter to OpenAI itself ({@code store}, {@code metadata},
 * ...) are ignored.
 */
public final class OpenAiRequestDecoder {
  private static final ObjectMapper JSON = Json.MAPPER;

  private OpenAiRequestDecoder() {}

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
    if (root.has("functions") || root.has("function_call")) {
      throw GatewayException.badRequest(
          "The deprecated 'functions' parameters cannot be "
              + "translated for this model; use 'tools'.",
          "functions");
    }
    ChatRequest.Builder request =
        ChatRequest.builder()
            .messages(messages(root.path("messages")))
            .tools(tools(root.path("tools")))
            .toolChoice(toolChoice(root.get("tool_choice")))
            .parallelToolCalls(bool(root.get("parallel_tool_calls")))
            .maxTokens(
                integer(
                    root.has("max_completion_tokens") && !root.get("max_completion_tokens").isNull()
                        ? root.get("max_completion_tokens")
                        : root.get("max_tokens"),
                    "max_tokens"))
            .temperature(number(root.get("temperature"), "temperature"))
            .topP(number(root.get("top_p"), "top_p"))
            .topK(integer(root.get("top_k"), "top_k"))
            .stop(stop(root.get("stop")))
            .seed(root.path("seed").isIntegralNumber() ? root.get("seed").asLong() : null)
            .presencePenalty(number(root.get("presence_penalty"), "presence_penalty"))
            .frequencyPenalty(number(root.get("frequency_penalty"), "frequency_penalty"))
            .n(integer(root.get("n"), "n"))
            .logprobs(bool(root.get("logprobs")))
            .responseFormat(responseFormat(root.get("response_format")))
            .user(text(root.get("user")))
            .stream(root.path("stream").asBoolean(false));
    String effort = text(root.get("reasoning_effort"));
    if (effort != null) {
      request.reasoning(new ReasoningConfig(effort, null));
    }
    return request.build();
  }

  private static List<Message> messages(JsonNode messages) {
    if (!messages.isArray()) {
      throw GatewayException.badRequest("'messages' must be an array.", "messages");
    }
    List<Message> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      out.add(message(messages.get(i), "messages[" + i + "]"));
    }
    return out;
  }

  private static Message message(JsonNode message, String path) {
    String role = message.path("role").asText("");
    String name = text(message.get("name"));
    JsonNode content = message.get("content");
    return switch (role) {
      case "system", "developer" ->
          new Message(
              Message.Role.SYSTEM,
              content(content, path + ".content", false),
              null,
              null,
              name,
              false);
      case "user" ->
          new Message(
              Message.Role.USER,
              content(content, path + ".content", true),
              null,
              null,
              name,
              false);
      case "assistant" ->
          new Message(
              Message.Role.ASSISTANT,
              content(content, path + ".content", false),
              toolCalls(message.path("tool_calls"), path),
              null,
              name,
              false);
      case "tool" ->
          new Message(
              Message.Role.TOOL,
              content(content, path + ".content", false),
              null,
              requiredText(message.get("tool_call_id"), path + ".tool_call_id"),
              null,
              false);
      default ->
          throw GatewayException.badRequest(
              "Unsupported message role '" + role + "'.", path + ".role");
    };
  }

  private static List<ContentPart> content(JsonNode content, String path, boolean imagesAllowed) {
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isTextual()) {
      return List.of(new ContentPart.Text(content.asText()));
    }
    if (!content.isArray()) {
      throw GatewayException.badRequest("'content' must be a string or an array of parts.", path);
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String partPath = path + "[" + i + "]";
      switch (part.path("type").asText("")) {
        case "text" -> parts.add(new ContentPart.Text(part.path("text").asText("")));
        case "refusal" -> parts.add(new ContentPart.Text(part.path("refusal").asText("")));
        case "image_url" -> {
          if (!imagesAllowed) {
            throw GatewayException.badRequest(
                "Images are only allowed in user messages.", partPath);
          }
          parts.add(image(part.path("image_url"), partPath));
        }
        default ->
            throw GatewayException.badRequest(
                "Content parts of type '"
                    + part.path("type").asText("")
                    + "' cannot be translated for this model.",
                partPath + ".type");
      }
    }
    return parts;
  }

  /** An {@code image_url} part; a {@code data:} URL is split into media type and base64. */
  private static ContentPart.Image image(JsonNode imageUrl, String path) {
    String url = imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
    String detail = text(imageUrl.get("detail"));
    if (!url.startsWith("data:")) {
      if (url.isEmpty()) {
        throw GatewayException.badRequest("The image URL is missing.", path + ".image_url.url");
      }
      return ContentPart.Image.remote(url, detail);
    }
    int comma = url.indexOf(',');
    String header = comma < 0 ? "" : url.substring(5, comma);
    if (comma < 0 || !header.endsWith(";base64")) {
      throw GatewayException.badRequest(
          "Image data URLs must be base64 encoded " + "(data:<media type>;base64,<data>).",
          path + ".image_url.url");
    }
    String mediaType = header.substring(0, header.length() - ";base64".length());
    int parameters = mediaType.indexOf(';');
    if (parameters >= 0) {
      mediaType = mediaType.substring(0, parameters);
    }
    return ContentPart.Image.inline(
        mediaType.isEmpty() ? "application/octet-stream" : mediaType,
        url.substring(comma + 1),
        detail);
  }

  private static List<ToolCall> toolCalls(JsonNode calls, String path) {
    if (calls == null || calls.isMissingNode() || calls.isNull()) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      JsonNode function = call.path("function");
      String callPath = path + ".tool_calls[" + i + "]";
      out.add(
          new ToolCall(
              requiredText(call.get("id"), callPath + ".id"),
              requiredText(function.get("name"), callPath + ".function.name"),
              text(function.get("arguments"))));
    }
    return out;
  }

  private static List<Tool> tools(JsonNode tools) {
    if (tools == null || tools.isMissingNode() || tools.isNull()) {
      return List.of();
    }
    List<Tool> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      if (!"function".equals(tool.path("type").asText("function"))) {
        throw GatewayException.badRequest(
            "Only function tools can be translated for this model.", "tools[" + i + "].type");
      }
      JsonNode function = tool.path("function");
      JsonNode parameters = function.get("parameters");
      out.add(
          new Tool(
              requiredText(function.get("name"), "tools[" + i + "].function.name"),
              text(function.get("description")),
              parameters == null || parameters.isNull() ? null : parameters,
              bool(function.get("strict"))));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default ->
            throw GatewayException.badRequest(
                "Unknown tool_choice '" + choice.asText() + "'.", "tool_choice");
      };
    }
    String name = choice.path("function").path("name").asText(null);
    if (name == null) {
      throw GatewayException.badRequest("tool_choice must name a function.", "tool_choice");
    }
    return new ToolChoice.Named(name);
  }

  private static ResponseFormat responseFormat(JsonNode format) {
    if (format == null || format.isNull()) {
      return null;
    }
    return switch (format.path("type").asText("")) {
      case "text" -> new ResponseFormat.Text();
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema");
        yield new ResponseFormat.JsonSchema(
            schema.path("name").asText("response"),
            text(schema.get("description")),
            schema.get("schema"),
            bool(schema.get("strict")));
      }
      default ->
          throw GatewayException.badRequest(
              "Unknown response_format type.", "response_format.type");
    };
  }

  private static List<String> stop(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    List<String> out = new ArrayList<>();
    stop.forEach(value -> out.add(value.asText()));
    return out;
  }

  private static String requiredText(JsonNode node, String path) {
    if (node == null || !node.isTextual()) {
      throw GatewayException.badRequest("Missing required parameter: '" + path + "'.", path);
    }
    return node.asText();
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Boolean bool(JsonNode node) {
    return node == null || node.isNull() ? null : node.asBoolean();
  }

  private static Double number(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw GatewayException.badRequest("'" + field + "' must be a number.", field);
    }
    return node.asDouble();
  }

  private static Integer integer(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber()) {
      throw GatewayException.badRequest("'" + field + "' must be an integer.", field);
    }
    return node.asInt();
  }
}
