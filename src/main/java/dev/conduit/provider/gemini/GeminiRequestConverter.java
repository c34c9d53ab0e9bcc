package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.conduit.provider.TranslationRules;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical chat request to a Gemini {@code GenerateContentRequest}
 * (https://ai.google.dev/api/generate-content), the same body for the Gemini API and Vertex AI:
 *
 * <ul>
 *   <li>system turns go to {@code systemInstruction}; assistant turns are role {@code model};
 *       consecutive turns of one role are merged into one {@code Content};
 *   <li>assistant tool calls become {@code functionCall} parts (their thought signature, carried in
 *       the tool-call id, goes back on the part, see {@link GeminiToolCallIds}); tool turns become
 *       {@code functionResponse} parts of a user turn, named after the call they answer, with the
 *       result as {@code {"result": text}} ({@code {"error": text}} for a failed tool), since
 *       Gemini wants an object;
 *   <li>inline images and PDFs become {@code inlineData}, URLs {@code fileData};
 *   <li>tools become {@code functionDeclarations} with the caller's JSON Schema as {@code
 *       parametersJsonSchema} (Gemini's {@code parameters} takes only an OpenAPI subset); tool
 *       choice becomes {@code functionCallingConfig} ({@code required} is {@code ANY});
 *   <li>sampling, stop sequences, JSON response formats and reasoning go to {@code
 *       generationConfig} ({@code thinkingConfig} with thought summaries included).
 * </ul>
 *
 * <p>Several choices and log probabilities are refused with a 400 (the gateway reads one choice);
 * the end-user id and the parallel-tool-calls flag have no Gemini form and are dropped.
 */
public final class GeminiRequestConverter {
  private static final ObjectMapper JSON = Json.MAPPER;

  private GeminiRequestConverter() {}

  /**
   * @param request the canonical request
   * @param provider the provider name, for error messages
   * @throws GatewayException (400) for what Gemini cannot express
   */
  public static Buffer toUpstream(ChatRequest request, String provider) {
    return Buffer.buffer(toJson(request, provider).toString());
  }

  static ObjectNode toJson(ChatRequest request, String provider) {
    TranslationRules.refuseChoicesAndLogprobs(request, provider);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode systemParts = JSON.createArrayNode();
    Map<String, String> toolNames = new HashMap<>();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < request.messages().size(); i++) {
      Message message = request.messages().get(i);
      if (message.role() == Message.Role.SYSTEM) {
        if (!message.text().isEmpty()) {
          systemParts.addObject().put("text", message.text());
        }
        continue;
      }
      message.toolCalls().forEach(call -> toolNames.put(call.id(), call.name()));
      Turn turn = turn(message, i, toolNames);
      if (turn.parts.isEmpty()) {
        continue; // Gemini refuses contents without parts
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(turn.role)) {
        last.parts.addAll(turn.parts);
      } else {
        turns.add(turn);
      }
    }
    ArrayNode contents = body.putArray("contents");
    for (Turn turn : turns) {
      ObjectNode content = contents.addObject().put("role", turn.role);
      content.putArray("parts").addAll(turn.parts);
    }
    if (!systemParts.isEmpty()) {
      body.putObject("systemInstruction").set("parts", systemParts);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (Tool tool : request.tools()) {
        ObjectNode declaration = declarations.addObject().put("name", tool.name());
        if (tool.description() != null) {
          declaration.put("description", tool.description());
        }
        if (tool.parameters() != null && tool.parameters().isObject()) {
          declaration.set("parametersJsonSchema", tool.parameters());
        }
      }
      ObjectNode calling = functionCalling(request.toolChoice());
      if (calling != null) {
        body.putObject("toolConfig").set("functionCallingConfig", calling);
      }
    }
    ObjectNode generation = generationConfig(request);
    if (!generation.isEmpty()) {
      body.set("generationConfig", generation);
    }
    return body;
  }

  private static ObjectNode generationConfig(ChatRequest request) {
    ObjectNode config = JSON.createObjectNode();
    if (request.maxTokens() != null) {
      config.put("maxOutputTokens", request.maxTokens());
    }
    if (request.temperature() != null) {
      config.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      config.put("topP", request.topP());
    }
    if (request.topK() != null) {
      config.put("topK", request.topK());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    if (request.seed() != null) {
      config.put("seed", request.seed());
    }
    if (request.presencePenalty() != null) {
      config.put("presencePenalty", request.presencePenalty());
    }
    if (request.frequencyPenalty() != null) {
      config.put("frequencyPenalty", request.frequencyPenalty());
    }
    if (request.responseFormat() instanceof ResponseFormat.JsonObject) {
      config.put("responseMimeType", "application/json");
    } else if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
      config.put("responseMimeType", "application/json");
      if (schema.schema() != null) {
        config.set("responseJsonSchema", schema.schema());
      }
    }
    ReasoningConfig reasoning = request.reasoning();
    Integer budget =
        reasoning == null
            ? null
            : reasoning.turnsThinkingOff() ? Integer.valueOf(0) : reasoning.thinkingBudget();
    if (budget != null) {
      ObjectNode thinking = config.putObject("thinkingConfig").put("thinkingBudget", budget);
      if (budget != 0) {
        thinking.put("includeThoughts", true);
      }
    }
    return config;
  }

  private static ObjectNode functionCalling(ToolChoice choice) {
    if (choice == null) {
      return null;
    }
    ObjectNode out = JSON.createObjectNode();
    if (choice instanceof ToolChoice.Named named) {
      out.put("mode", "ANY").putArray("allowedFunctionNames").add(named.name());
    } else if (choice instanceof ToolChoice.Required) {
      out.put("mode", "ANY");
    } else if (choice instanceof ToolChoice.None) {
      out.put("mode", "NONE");
    } else {
      out.put("mode", "AUTO");
    }
    return out;
  }

  private static Turn turn(Message message, int position, Map<String, String> toolNames) {
    switch (message.role()) {
      case USER -> {
        Turn turn = new Turn("user");
        addContent(turn.parts, message.content());
        return turn;
      }
      case ASSISTANT -> {
        Turn turn = new Turn("model");
        for (ContentPart part : message.content()) {
          // Reasoning is not sent back: Gemini keeps its thoughts behind signatures.
          if (part instanceof ContentPart.Text text && !text.text().isEmpty()) {
            turn.parts.add(JSON.createObjectNode().put("text", text.text()));
          }
        }
        for (int i = 0; i < message.toolCalls().size(); i++) {
          ToolCall call = message.toolCalls().get(i);
          GeminiToolCallIds.Parsed id = GeminiToolCallIds.fromCaller(call.id());
          ObjectNode functionCall = JSON.createObjectNode();
          if (id.geminiId() != null) {
            functionCall.put("id", id.geminiId());
          }
          functionCall.put("name", call.name());
          functionCall.set("args", TranslationRules.toolArguments(call.arguments(), position, i));
          ObjectNode part = JSON.createObjectNode();
          part.set("functionCall", functionCall);
          if (id.signature() != null) {
            part.put("thoughtSignature", id.signature());
          }
          turn.parts.add(part);
        }
        return turn;
      }
      case TOOL -> {
        Turn turn = new Turn("user");
        String name = toolNames.get(message.toolCallId());
        if (name == null) {
          throw GatewayException.badRequest(
              "Message "
                  + position
                  + " answers tool call '"
                  + message.toolCallId()
                  + "', which no earlier assistant message made (Gemini "
                  + "needs the function's name).",
              "messages[" + position + "].tool_call_id");
        }
        GeminiToolCallIds.Parsed id = GeminiToolCallIds.fromCaller(message.toolCallId());
        ObjectNode functionResponse = JSON.createObjectNode();
        if (id.geminiId() != null) {
          functionResponse.put("id", id.geminiId());
        }
        functionResponse.put("name", name);
        functionResponse
            .putObject("response")
            .put(message.toolError() ? "error" : "result", message.text());
        turn.parts.add(JSON.createObjectNode().set("functionResponse", functionResponse));
        for (ContentPart part : message.content()) {
          if (part instanceof ContentPart.Image image) {
            turn.parts.add(media(image));
          }
        }
        return turn;
      }
      default -> throw new IllegalArgumentException("system turns are hoisted");
    }
  }

  private static void addContent(List<JsonNode> parts, List<ContentPart> content) {
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text text) {
        if (!text.text().isEmpty()) {
          parts.add(JSON.createObjectNode().put("text", text.text()));
        }
      } else if (part instanceof ContentPart.Image image) {
        parts.add(media(image));
      }
    }
  }

  /**
   * Inline bytes as {@code inlineData}; a URL ({@code gs://}, https, a Files API URI) as {@code
   * fileData}.
   */
  private static ObjectNode media(ContentPart.Image image) {
    ObjectNode part = JSON.createObjectNode();
    if (image.isInline()) {
      part.putObject("inlineData").put("mimeType", image.mediaType()).put("data", image.data());
    } else {
      part.putObject("fileData")
          .put("mimeType", mediaTypeOf(image.url()))
          .put("fileUri", image.url());
    }
    return part;
  }

  /** Gemini needs a MIME type for file URIs: guessed from the extension, else JPEG. */
  static String mediaTypeOf(String url) {
    String path = url.toLowerCase(Locale.ROOT);
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.endsWith(".png")) {
      return "image/png";
    }
    if (path.endsWith(".gif")) {
      return "image/gif";
    }
    if (path.endsWith(".webp")) {
      return "image/webp";
    }
    if (path.endsWith(".heic")) {
      return "image/heic";
    }
    if (path.endsWith(".pdf")) {
      return "application/pdf";
    }
    return "image/jpeg";
  }

  /** One Gemini {@code Content} being built; same-role turns are merged into it. */
  private static final class Turn {
    final String role;
    final List<JsonNode> parts = new ArrayList<>();

    Turn(String role) {
      this.role = role;
    }
  }
}
