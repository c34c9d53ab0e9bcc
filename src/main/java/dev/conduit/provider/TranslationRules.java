package dev.conduit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.ResponseFormat;
import java.io.IOException;

/** Request checks and conversions that every translating adapter applies alike. */
public final class TranslationRules {
  private static final ObjectMapper JSON = Json.MAPPER;

  private TranslationRules() {}

  /** Refuses (400) what only OpenAI offers: several choices and log probabilities. */
  public static void refuseChoicesAndLogprobs(ChatRequest request, String provider) {
    if (request.n() != null && request.n() > 1) {
      throw GatewayException.unsupported(provider, "more than one choice (n > 1)", "n");
    }
    if (Boolean.TRUE.equals(request.logprobs())) {
      throw GatewayException.unsupported(provider, "log probabilities", "logprobs");
    }
  }

  /** Refuses (400) a JSON response format, for providers with no such mode. */
  public static void refuseJsonResponseFormat(ChatRequest request, String provider) {
    if (request.responseFormat() != null
        && !(request.responseFormat() instanceof ResponseFormat.Text)) {
      throw GatewayException.unsupported(
          provider,
          "JSON response formats (describe the JSON in the prompt, or use a tool)",
          "response_format");
    }
  }

  /**
   * A tool call's arguments as the JSON object providers other than OpenAI want (OpenAI carries
   * them as a string); an empty string means no arguments. Anything but an object is a 400 naming
   * the field.
   *
   * @param message index of the message in the request
   * @param call index of the tool call in that message
   */
  public static JsonNode toolArguments(String arguments, int message, int call) {
    try {
      JsonNode parsed = JSON.readTree(arguments);
      if (parsed == null) {
        return JSON.createObjectNode();
      }
      if (!parsed.isObject()) {
        throw new IOException("not an object");
      }
      return parsed;
    } catch (IOException e) {
      throw GatewayException.badRequest(
          "The arguments of tool call "
              + call
              + " in message "
              + message
              + " are not a JSON object.",
          "messages[" + message + "].tool_calls[" + call + "].function.arguments");
    }
  }
}
