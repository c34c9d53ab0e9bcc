package dev.conduit.provider.anthropic;

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

/**
 * Canonical chat request to an Anthropic Messages body
 * (https://docs.anthropic.com/en/api/messages):
 *
 * <ul>
 *   <li>system turns are hoisted into {@code system};
 *   <li>tool turns become {@code tool_result} blocks of a user turn, assistant tool calls become
 *       {@code tool_use} blocks, and consecutive turns of one role are merged into one turn (tool
 *       results first, as Anthropic requires);
 *   <li>inline images become base64 sources, remote ones URL sources;
 *   <li>{@code stop} becomes {@code stop_sequences}, {@code max_tokens} is set to the provider's
 *       default when the caller gave none, and temperature is capped at Anthropic's 1.0.
 * </ul>
 *
 * <p>What Anthropic cannot express is refused with a 400 rather than silently changed: more than
 * one choice, log probabilities, JSON response formats. Penalties and seeds, which only tune
 * sampling, are dropped.
 */
public final class AnthropicRequestConverter {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final double MAX_TEMPERATURE = 1.0;

  private AnthropicRequestConverter() {}

  /**
   * @param request the canonical request
   * @param model the Anthropic model name
   * @param provider the provider name, for error messages
   * @param defaultMaxTokens {@code max_tokens} when the caller set none
   * @throws GatewayException (400) for what Anthropic cannot express
   */
  public static Buffer toUpstream(
      ChatRequest request, String model, String provider, int defaultMaxTokens) {
    return Buffer.buffer(toJson(request, model, provider, defaultMaxTokens).toString());
  }

  static ObjectNode toJson(
      ChatRequest request, String model, String provider, int defaultMaxTokens) {
    TranslationRules.refuseChoicesAndLogprobs(request, provider);
    TranslationRules.refuseJsonResponseFormat(request, provider);
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    Integer budget = request.reasoning() == null ? null : request.reasoning().thinkingBudget();
    int maxTokens = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
    if (request.maxTokens() == null && budget != null && maxTokens <= budget) {
      maxTokens = budget + defaultMaxTokens; // the budget must stay below max_tokens
    }
    body.put("max_tokens", maxTokens);
    List<String> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < request.messages().size(); i++) {
      Message message = request.messages().get(i);
      if (message.role() == Message.Role.SYSTEM) {
        system.add(message.text());
        continue;
      }
      Turn turn = turn(message, i);
      if (turn.blocks.isEmpty()) {
        continue; // Anthropic refuses empty turns; an empty one says nothing anyway
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(turn.role)) {
        last.blocks.addAll(turn.blocks);
      } else {
        turns.add(turn);
      }
    }
    if (system.size() == 1) {
      body.put("system", system.get(0));
    } else if (!system.isEmpty()) {
      ArrayNode blocks = body.putArray("system");
      system.forEach(text -> blocks.addObject().put("type", "text").put("text", text));
    }
    ArrayNode messages = body.putArray("messages");
    for (Turn turn : turns) {
      messages.add(turn.toJson());
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (Tool tool : request.tools()) {
        ObjectNode out = tools.addObject().put("name", tool.name());
        if (tool.description() != null) {
          out.put("description", tool.description());
        }
        out.set(
            "input_schema",
            tool.parameters() != null && tool.parameters().isObject()
                ? tool.parameters()
                : JSON.createObjectNode()
                    .put("type", "object")
                    .set("properties", JSON.createObjectNode()));
      }
      ObjectNode choice = toolChoice(request.toolChoice(), request.parallelToolCalls());
      if (choice != null) {
        body.set("tool_choice", choice);
      }
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    if (request.temperature() != null) {
      body.put("temperature", Math.min(request.temperature(), MAX_TEMPERATURE));
    }
    if (request.topP() != null) {
      body.put("top_p", request.topP());
    }
    if (request.topK() != null) {
      body.put("top_k", request.topK());
    }
    if (request.user() != null) {
      body.putObject("metadata").put("user_id", request.user());
    }
    if (budget != null) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }
    if (request.stream()) {
      body.put("stream", true);
    }
    return body;
  }

  private static ObjectNode toolChoice(ToolChoice choice, Boolean parallelToolCalls) {
    ObjectNode out = JSON.createObjectNode();
    if (choice instanceof ToolChoice.Named named) {
      out.put("type", "tool").put("name", named.name());
    } else if (choice instanceof ToolChoice.Required) {
      out.put("type", "any");
    } else if (choice instanceof ToolChoice.None) {
      return out.put("type", "none"); // takes no parallel flag
    } else if (choice instanceof ToolChoice.Auto || Boolean.FALSE.equals(parallelToolCalls)) {
      out.put("type", "auto");
    } else {
      return null;
    }
    if (Boolean.FALSE.equals(parallelToolCalls)) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  private static Turn turn(Message message, int position) {
    switch (message.role()) {
      case USER -> {
        Turn turn = new Turn("user");
        addContent(turn.blocks, message.content());
        return turn;
      }
      case ASSISTANT -> {
        Turn turn = new Turn("assistant");
        for (ContentPart part : message.content()) {
          if (part instanceof ContentPart.Reasoning reasoning) {
            if (reasoning.signature() != null) { // unsigned reasoning would be refused
              turn.blocks.add(
                  JSON.createObjectNode()
                      .put("type", "thinking")
                      .put("thinking", reasoning.text())
                      .put("signature", reasoning.signature()));
            }
          } else if (part instanceof ContentPart.Text text) {
            if (!text.text().isEmpty()) {
              turn.blocks.add(JSON.createObjectNode().put("type", "text").put("text", text.text()));
            }
          }
        }
        for (int i = 0; i < message.toolCalls().size(); i++) {
          ToolCall call = message.toolCalls().get(i);
          turn.blocks.add(
              JSON.createObjectNode()
                  .put("type", "tool_use")
                  .put("id", call.id())
                  .put("name", call.name())
                  .set("input", TranslationRules.toolArguments(call.arguments(), position, i)));
        }
        return turn;
      }
      case TOOL -> {
        Turn turn = new Turn("user");
        ObjectNode result =
            JSON.createObjectNode()
                .put("type", "tool_result")
                .put("tool_use_id", message.toolCallId());
        if (message.isTextOnly()) {
          result.put("content", message.text());
        } else {
          ArrayNode content = result.putArray("content");
          List<JsonNode> parts = new ArrayList<>();
          addContent(parts, message.content());
          content.addAll(parts);
        }
        if (message.toolError()) {
          result.put("is_error", true);
        }
        turn.blocks.add(result);
        return turn;
      }
      default -> throw new IllegalArgumentException("system turns are hoisted");
    }
  }

  private static void addContent(List<JsonNode> blocks, List<ContentPart> parts) {
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text text) {
        if (!text.text().isEmpty()) {
          blocks.add(JSON.createObjectNode().put("type", "text").put("text", text.text()));
        }
      } else if (part instanceof ContentPart.Image image) {
        blocks.add(image(image));
      }
    }
  }

  private static ObjectNode image(ContentPart.Image image) {
    ObjectNode source = JSON.createObjectNode();
    if (image.isInline()) {
      source.put("type", "base64").put("media_type", image.mediaType()).put("data", image.data());
    } else {
      source.put("type", "url").put("url", image.url());
    }
    String type = "application/pdf".equals(image.mediaType()) ? "document" : "image";
    ObjectNode block = JSON.createObjectNode().put("type", type);
    block.set("source", source);
    return block;
  }

  /** One Anthropic turn being built; same-role turns are merged into it. */
  private static final class Turn {
    final String role;
    final List<JsonNode> blocks = new ArrayList<>();

    Turn(String role) {
      this.role = role;
    }

    ObjectNode toJson() {
      ObjectNode out = JSON.createObjectNode().put("role", role);
      // Tool results must open a user turn; any text follows them.
      List<JsonNode> ordered = new ArrayList<>(blocks.size());
      for (JsonNode block : blocks) {
        if ("tool_result".equals(block.path("type").asText())) {
          ordered.add(block);
        }
      }
      for (JsonNode block : blocks) {
        if (!"tool_result".equals(block.path("type").asText())) {
          ordered.add(block);
        }
      }
      if (ordered.size() == 1 && "text".equals(ordered.get(0).path("type").asText())) {
        out.put("content", ordered.get(0).path("text").asText());
      } else {
        out.putArray("content").addAll(ordered);
      }
      return out;
    }
  }
}
