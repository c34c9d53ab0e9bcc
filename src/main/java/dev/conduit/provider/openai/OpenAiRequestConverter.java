package dev.conduit.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ContentPart;
import dev.conduit.core.Json;
import dev.conduit.core.Message;
import dev.conduit.core.ResponseFormat;
import dev.conduit.core.Tool;
import dev.conduit.core.ToolCall;
import dev.conduit.core.ToolChoice;
import io.vertx.core.buffer.Buffer;

/**
 * Canonical chat request to an OpenAI Chat Completions body
 * (https://platform.openai.com/docs/api-reference/chat/create). Fields the caller did not set are
 * left out, so the upstream's defaults apply.
 */
public final class OpenAiRequestConverter {
  private static final ObjectMapper JSON = Json.MAPPER;

  private OpenAiRequestConverter() {}

  /**
   * @param request the canonical request
   * @param model the upstream model (or Azure deployment) name
   * @param preset the upstream's quirks
   */
  public static Buffer toUpstream(ChatRequest request, String model, OpenAiPreset preset) {
    return Buffer.buffer(toJson(request, model, preset).toString());
  }

  static ObjectNode toJson(ChatRequest request, String model, OpenAiPreset preset) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    for (Message message : request.messages()) {
      messages.add(message(message));
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (Tool tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", tool.name());
        if (tool.description() != null) {
          function.put("description", tool.description());
        }
        if (tool.parameters() != null) {
          function.set("parameters", tool.parameters());
        }
        if (tool.strict() != null) {
          function.put("strict", tool.strict());
        }
      }
    }
    ToolChoice choice = request.toolChoice();
    if (choice instanceof ToolChoice.Named named) {
      body.putObject("tool_choice")
          .put("type", "function")
          .putObject("function")
          .put("name", named.name());
    } else if (choice instanceof ToolChoice.Required) {
      body.put("tool_choice", "required");
    } else if (choice instanceof ToolChoice.None) {
      body.put("tool_choice", "none");
    } else if (choice instanceof ToolChoice.Auto) {
      body.put("tool_choice", "auto");
    }
    if (request.parallelToolCalls() != null && !request.tools().isEmpty()) {
      body.put("parallel_tool_calls", request.parallelToolCalls());
    }
    if (request.maxTokens() != null) {
      body.put(preset.maxTokensField(), request.maxTokens());
    }
    putIfSet(body, "temperature", request.temperature());
    putIfSet(body, "top_p", request.topP());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (request.seed() != null) {
      body.put("seed", request.seed());
    }
    putIfSet(body, "presence_penalty", request.presencePenalty());
    putIfSet(body, "frequency_penalty", request.frequencyPenalty());
    if (request.n() != null) {
      body.put("n", request.n());
    }
    if (request.logprobs() != null) {
      body.put("logprobs", request.logprobs());
    }
    if (request.responseFormat() != null) {
      body.set("response_format", responseFormat(request.responseFormat()));
    }
    if (request.reasoning() != null && request.reasoning().effort() != null) {
      body.put("reasoning_effort", request.reasoning().effort());
    }
    if (request.user() != null) {
      body.put("user", request.user());
    }
    if (request.stream()) {
      body.put("stream", true);
      if (preset.acceptsStreamUsageOption()) {
        // Always asked for: the gateway records usage whether or not the caller wants to see it.
        body.putObject("stream_options").put("include_usage", true);
      }
    }
    return body;
  }

  private static ObjectNode message(Message message) {
    ObjectNode out = JSON.createObjectNode();
    switch (message.role()) {
      case SYSTEM -> out.put("role", "system").put("content", message.text());
      case USER -> {
        out.put("role", "user");
        if (message.isTextOnly()) {
          out.put("content", message.text());
        } else {
          ArrayNode parts = out.putArray("content");
          for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.Text text) {
              parts.addObject().put("type", "text").put("text", text.text());
            } else if (part instanceof ContentPart.Image image) {
              ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
              url.put("url", image.asUrl());
              if (image.detail() != null) {
                url.put("detail", image.detail());
              }
            }
          }
        }
      }
      case ASSISTANT -> {
        out.put("role", "assistant");
        String text = message.text();
        if (text.isEmpty() && !message.toolCalls().isEmpty()) {
          out.putNull("content");
        } else {
          out.put("content", text);
        }
        if (!message.toolCalls().isEmpty()) {
          ArrayNode calls = out.putArray("tool_calls");
          for (ToolCall call : message.toolCalls()) {
            calls
                .addObject()
                .put("id", call.id())
                .put("type", "function")
                .putObject("function")
                .put("name", call.name())
                .put("arguments", call.arguments());
          }
        }
      }
      case TOOL ->
          out.put("role", "tool")
              .put("tool_call_id", message.toolCallId())
              .put("content", message.text());
    }
    if (message.name() != null && message.role() != Message.Role.TOOL) {
      out.put("name", message.name());
    }
    return out;
  }

  private static ObjectNode responseFormat(ResponseFormat format) {
    ObjectNode out = JSON.createObjectNode();
    if (format instanceof ResponseFormat.JsonSchema schema) {
      out.put("type", "json_schema");
      ObjectNode inner = out.putObject("json_schema");
      inner.put("name", schema.name());
      if (schema.description() != null) {
        inner.put("description", schema.description());
      }
      if (schema.schema() != null) {
        inner.set("schema", schema.schema());
      }
      if (schema.strict() != null) {
        inner.put("strict", schema.strict());
      }
    } else if (format instanceof ResponseFormat.JsonObject) {
      out.put("type", "json_object");
    } else {
      out.put("type", "text");
    }
    return out;
  }

  private static void putIfSet(ObjectNode body, String field, Double value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
