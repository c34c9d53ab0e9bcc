package dev.conduit.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ContentPart;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.Message;
import dev.conduit.core.Tool;
import dev.conduit.core.ToolCall;
import dev.conduit.core.ToolChoice;
import dev.conduit.provider.TranslationRules;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Canonical chat request to a Bedrock Converse body
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
 *
 * <ul>
 *   <li>system turns go to {@code system}; tool turns become {@code toolResult} blocks of a user
 *       turn, assistant tool calls {@code toolUse} blocks; consecutive turns of one role are merged
 *       (tool results first, as the Anthropic models on Bedrock require);
 *   <li>inline images become {@code image} blocks with base64 {@code bytes}, inline PDFs {@code
 *       document} blocks, {@code s3://} URLs S3 sources; Converse cannot fetch other URLs, so those
 *       are refused;
 *   <li>{@code max_tokens}, {@code temperature} (capped at Bedrock's 1.0), {@code top_p} and {@code
 *       stop} go to {@code inferenceConfig}; {@code top_k} and a reasoning budget to {@code
 *       additionalModelRequestFields} (the Anthropic models' spelling);
 *   <li>tools go to {@code toolConfig}; Converse has no "none" tool choice, so {@code none} drops
 *       the tools, unless the conversation already holds tool blocks, which Bedrock accepts only
 *       with a {@code toolConfig} (the tools are then kept, with the model choosing).
 * </ul>
 *
 * <p>What Converse cannot express is refused with a 400: several choices, log probabilities, JSON
 * response formats. Penalties, seeds and the end-user id are dropped.
 */
public final class BedrockRequestConverter {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final double MAX_TEMPERATURE = 1.0;

  /** Output room added above a reasoning budget when the caller set no limit. */
  private static final int ANSWER_ROOM = 4096;

  private BedrockRequestConverter() {}

  /**
   * @param request the canonical request
   * @param provider the provider name, for error messages
   * @throws GatewayException (400) for what Converse cannot express
   */
  public static Buffer toUpstream(ChatRequest request, String provider) {
    return Buffer.buffer(toJson(request, provider).toString());
  }

  static ObjectNode toJson(ChatRequest request, String provider) {
    TranslationRules.refuseChoicesAndLogprobs(request, provider);
    TranslationRules.refuseJsonResponseFormat(request, provider);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode system = JSON.createArrayNode();
    List<Turn> turns = new ArrayList<>();
    boolean toolBlocks = false;
    for (int i = 0; i < request.messages().size(); i++) {
      Message message = request.messages().get(i);
      if (message.role() == Message.Role.SYSTEM) {
        if (!message.text().isEmpty()) {
          system.addObject().put("text", message.text());
        }
        continue;
      }
      toolBlocks |= message.role() == Message.Role.TOOL || !message.toolCalls().isEmpty();
      Turn turn = turn(message, i, provider);
      if (turn.blocks.isEmpty()) {
        continue; // Bedrock refuses empty turns; an empty one says nothing anyway
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(turn.role)) {
        last.blocks.addAll(turn.blocks);
      } else {
        turns.add(turn);
      }
    }
    ArrayNode messages = body.putArray("messages");
    turns.forEach(turn -> messages.add(turn.toJson()));
    if (!system.isEmpty()) {
      body.set("system", system);
    }
    Integer budget = request.reasoning() == null ? null : request.reasoning().thinkingBudget();
    ObjectNode inference = JSON.createObjectNode();
    Integer maxTokens = request.maxTokens();
    if (maxTokens == null && budget != null) {
      maxTokens = budget + ANSWER_ROOM; // the budget must stay below the output limit
    }
    if (maxTokens != null) {
      inference.put("maxTokens", maxTokens);
    }
    if (request.temperature() != null) {
      inference.put("temperature", Math.min(request.temperature(), MAX_TEMPERATURE));
    }
    if (request.topP() != null) {
      inference.put("topP", request.topP());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = inference.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    if (!inference.isEmpty()) {
      body.set("inferenceConfig", inference);
    }
    boolean sendTools =
        !request.tools().isEmpty()
            && (!(request.toolChoice() instanceof ToolChoice.None) || toolBlocks);
    if (sendTools) {
      ObjectNode toolConfig = body.putObject("toolConfig");
      ArrayNode tools = toolConfig.putArray("tools");
      for (Tool tool : request.tools()) {
        ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", tool.name());
        if (tool.description() != null && !tool.description().isEmpty()) {
          spec.put("description", tool.description());
        }
        JsonNode schema =
            tool.parameters() != null && tool.parameters().isObject()
                ? tool.parameters()
                : JSON.createObjectNode()
                    .put("type", "object")
                    .set("properties", JSON.createObjectNode());
        spec.putObject("inputSchema").set("json", schema);
      }
      ObjectNode choice = toolChoice(request.toolChoice());
      if (choice != null) {
        toolConfig.set("toolChoice", choice);
      }
    }
    ObjectNode additional = JSON.createObjectNode();
    if (request.topK() != null) {
      additional.put("top_k", request.topK());
    }
    if (budget != null) {
      additional.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }
    if (!additional.isEmpty()) {
      body.set("additionalModelRequestFields", additional);
    }
    return body;
  }

  private static ObjectNode toolChoice(ToolChoice choice) {
    if (choice instanceof ToolChoice.Named named) {
      ObjectNode out = JSON.createObjectNode();
      out.putObject("tool").put("name", named.name());
      return out;
    }
    if (choice instanceof ToolChoice.Required) {
      ObjectNode out = JSON.createObjectNode();
      out.putObject("any");
      return out;
    }
    if (choice instanceof ToolChoice.Auto) {
      ObjectNode out = JSON.createObjectNode();
      out.putObject("auto");
      return out;
    }
    return null; // not set, or none with tool history: the model's default (auto)
  }

  private static Turn turn(Message message, int position, String provider) {
    switch (message.role()) {
      case USER -> {
        Turn turn = new Turn("user");
        addContent(turn.blocks, message.content(), position, provider);
        return turn;
      }
      case ASSISTANT -> {
        Turn turn = new Turn("assistant");
        for (ContentPart part : message.content()) {
          if (part instanceof ContentPart.Reasoning reasoning) {
            if (reasoning.signature() != null) { // unsigned reasoning would be refused
              ObjectNode text =
                  JSON.createObjectNode()
                      .put("text", reasoning.text())
                      .put("signature", reasoning.signature());
              ObjectNode block = JSON.createObjectNode();
              block.putObject("reasoningContent").set("reasoningText", text);
              turn.blocks.add(block);
            }
          } else if (part instanceof ContentPart.Text text && !text.text().isEmpty()) {
            turn.blocks.add(JSON.createObjectNode().put("text", text.text()));
          }
        }
        for (int i = 0; i < message.toolCalls().size(); i++) {
          ToolCall call = message.toolCalls().get(i);
          ObjectNode use =
              JSON.createObjectNode().put("toolUseId", call.id()).put("name", call.name());
          use.set("input", TranslationRules.toolArguments(call.arguments(), position, i));
          turn.blocks.add(JSON.createObjectNode().set("toolUse", use));
        }
        return turn;
      }
      case TOOL -> {
        Turn turn = new Turn("user");
        ObjectNode result = JSON.createObjectNode().put("toolUseId", message.toolCallId());
        ArrayNode content = result.putArray("content");
        if (message.isTextOnly()) {
          content.addObject().put("text", message.text());
        } else {
          List<JsonNode> parts = new ArrayList<>();
          addContent(parts, message.content(), position, provider);
          content.addAll(parts);
        }
        if (message.toolError()) {
          result.put("status", "error");
        }
        turn.blocks.add(JSON.createObjectNode().set("toolResult", result));
        return turn;
      }
      default -> throw new IllegalArgumentException("system turns are hoisted");
    }
  }

  private static void addContent(
      List<JsonNode> blocks, List<ContentPart> parts, int position, String provider) {
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text text) {
        if (!text.text().isEmpty()) {
          blocks.add(JSON.createObjectNode().put("text", text.text()));
        }
      } else if (part instanceof ContentPart.Image image) {
        blocks.add(media(image, position, blocks.size(), provider));
      }
    }
  }

  /** An image (or PDF) block: inline bytes, or an S3 location. */
  private static ObjectNode media(
      ContentPart.Image image, int position, int index, String provider) {
    ObjectNode source = JSON.createObjectNode();
    String mediaType;
    if (image.isInline()) {
      source.put("bytes", image.data());
      mediaType = image.mediaType();
    } else if (image.url() != null && image.url().startsWith("s3://")) {
      source.putObject("s3Location").put("uri", image.url());
      mediaType = mediaTypeOf(image.url());
    } else {
      throw GatewayException.unsupported(
          provider,
          "image URLs (Bedrock takes images inline or "
              + "from S3: send a data: URL or an s3:// URL)",
          "messages[" + position + "].content");
    }
    ObjectNode block = JSON.createObjectNode();
    if ("application/pdf".equals(mediaType)) {
      block
          .putObject("document")
          .put("format", "pdf")
          .put("name", "document-" + position + "-" + index)
          .set("source", source);
      return block;
    }
    String format =
        switch (mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT)) {
          case "image/png" -> "png";
          case "image/jpeg", "image/jpg" -> "jpeg";
          case "image/gif" -> "gif";
          case "image/webp" -> "webp";
          default ->
              throw GatewayException.unsupported(
                  provider,
                  "images of type '" + mediaType + "' (png, jpeg, gif and webp are)",
                  "messages[" + position + "].content");
        };
    block.putObject("image").put("format", format).set("source", source);
    return block;
  }

  private static String mediaTypeOf(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (lower.endsWith(".gif")) {
      return "image/gif";
    }
    if (lower.endsWith(".webp")) {
      return "image/webp";
    }
    if (lower.endsWith(".pdf")) {
      return "application/pdf";
    }
    return null;
  }

  /** One Converse turn being built; same-role turns are merged into it. */
  private static final class Turn {
    final String role;
    final List<JsonNode> blocks = new ArrayList<>();

    Turn(String role) {
      this.role = role;
    }

    ObjectNode toJson() {
      ObjectNode out = JSON.createObjectNode().put("role", role);
      ArrayNode content = out.putArray("content");
      // Tool results must open a user turn; anything else follows them.
      blocks.stream().filter(block -> block.has("toolResult")).forEach(content::add);
      blocks.stream().filter(block -> !block.has("toolResult")).forEach(content::add);
      return out;
    }
  }
}
