package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.ContentPart;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Message;
import dev.conduit.core.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Responses input items as canonical turns. An assistant turn gathers the items the model produced
 * in one go (reasoning, its message, its function calls), as providers with turn-based histories
 * (Anthropic, Gemini, Bedrock) need them; anything else starts a new turn.
 */
final class ResponsesInputItems {
  private ResponsesInputItems() {}

  static void decode(JsonNode items, List<Message> out) {
    for (int i = 0; i < items.size(); i++) {
      item(items.get(i), "input[" + i + "]", out);
    }
  }

  private static void item(JsonNode item, String path, List<Message> out) {
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    switch (type) {
      case "message" -> message(item, path, out);
      case "function_call" ->
          appendToAssistant(out, List.of(), List.of(ResponsesRequestDecoder.toolCall(item)));
      case "function_call_output" ->
          out.add(
              new Message(
                  Message.Role.TOOL,
                  toolOutput(item.get("output"), path + ".output"),
                  null,
                  item.path("call_id").asText(),
                  null,
                  false));
      case "reasoning" -> appendToAssistant(out, List.of(reasoning(item)), List.of());
      default ->
          throw GatewayException.badRequest(
              "Input items of type '" + type + "' cannot be translated for this model.",
              path + ".type");
    }
  }

  private static void message(JsonNode item, String path, List<Message> out) {
    String role = item.path("role").asText("user");
    JsonNode content = item.get("content");
    List<ContentPart> parts = parts(content, path + ".content");
    switch (role) {
      case "system", "developer" ->
          out.add(new Message(Message.Role.SYSTEM, parts, null, null, null, false));
      case "assistant" -> appendToAssistant(out, parts, List.of());
      case "user" -> out.add(Message.user(parts));
      default ->
          throw GatewayException.badRequest(
              "Invalid value for 'role': '" + role + "'.", path + ".role");
    }
  }

  /** Adds to the last turn when it is the assistant's and has not called tools yet. */
  private static void appendToAssistant(
      List<Message> out, List<ContentPart> parts, List<ToolCall> calls) {
    Message last = out.isEmpty() ? null : out.get(out.size() - 1);
    boolean joins =
        last != null
            && last.role() == Message.Role.ASSISTANT
            && (last.toolCalls().isEmpty() || parts.isEmpty());
    if (!joins) {
      out.add(new Message(Message.Role.ASSISTANT, parts, calls, null, null, false));
      return;
    }
    List<ToolCall> allCalls = new ArrayList<>(last.toolCalls());
    allCalls.addAll(calls);
    List<ContentPart> allParts = new ArrayList<>(last.content());
    allParts.addAll(parts);
    out.set(
        out.size() - 1, new Message(Message.Role.ASSISTANT, allParts, allCalls, null, null, false));
  }

  private static List<ContentPart> parts(JsonNode content, String path) {
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isTextual()) {
      return List.of(new ContentPart.Text(content.asText()));
    }
    if (!content.isArray()) {
      throw GatewayException.badRequest(
          "Invalid type for 'content': expected a string or an array of parts.", path);
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      parts.add(part(content.get(i), path + "[" + i + "]"));
    }
    return parts;
  }

  private static ContentPart part(JsonNode part, String path) {
    String type = part.path("type").asText("");
    return switch (type) {
      case "input_text", "output_text", "text" -> ResponsesRequestDecoder.text(part);
      case "refusal" -> new ContentPart.Text(part.path("refusal").asText(""));
      case "input_image" -> image(part, path);
      default ->
          throw GatewayException.badRequest(
              "Content parts of type '" + type + "' cannot be translated for this model.",
              path + ".type");
    };
  }

  private static ContentPart.Image image(JsonNode part, String path) {
    String detail = part.path("detail").isTextual() ? part.get("detail").asText() : null;
    String url = part.path("image_url").asText("");
    if (url.isEmpty()) {
      throw GatewayException.badRequest(
          "Images by 'file_id' cannot be translated for this model; send 'image_url'.",
          path + ".file_id");
    }
    if (!url.startsWith("data:")) {
      return ContentPart.Image.remote(url, detail);
    }
    int comma = url.indexOf(',');
    int base64 = url.indexOf(";base64");
    if (comma < 0 || base64 < 0 || base64 > comma) {
      throw GatewayException.badRequest(
          "Image data URLs must be base64 encoded (data:<type>;base64,<data>).",
          path + ".image_url");
    }
    return ContentPart.Image.inline(url.substring(5, base64), url.substring(comma + 1), detail);
  }

  private static List<ContentPart> toolOutput(JsonNode output, String path) {
    if (output == null || output.isNull()) {
      return List.of();
    }
    if (output.isTextual()) {
      return List.of(new ContentPart.Text(output.asText()));
    }
    return parts(output, path);
  }

  /** Reasoning handed back: its text, and its signature when an earlier translation kept one. */
  private static ContentPart.Reasoning reasoning(JsonNode item) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : item.path("content")) {
      text.append(part.path("text").asText(""));
    }
    if (text.length() == 0) {
      for (JsonNode part : item.path("summary")) {
        text.append(part.path("text").asText(""));
      }
    }
    String signature =
        item.path("encrypted_content").isTextual() ? item.get("encrypted_content").asText() : null;
    return new ContentPart.Reasoning(text.toString(), signature);
  }
}
