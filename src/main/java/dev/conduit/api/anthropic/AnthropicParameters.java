package dev.conduit.api.anthropic;

import static dev.conduit.api.ParameterRules.array;
import static dev.conduit.api.ParameterRules.bool;
import static dev.conduit.api.ParameterRules.integer;
import static dev.conduit.api.ParameterRules.messages;
import static dev.conduit.api.ParameterRules.number;
import static dev.conduit.api.ParameterRules.object;
import static dev.conduit.api.ParameterRules.requiredString;
import static dev.conduit.api.ParameterRules.strings;
import static dev.conduit.api.ParameterRules.textOrBlocks;

import dev.conduit.api.ParameterRules;
import java.util.Map;

/**
 * Anthropic's own limits on the parameters of {@code /v1/messages}
 * (https://docs.anthropic.com/en/api/messages): {@code max_tokens} required and at least 1,
 * temperature from 0 to 1, content a string or an array of blocks.
 */
public final class AnthropicParameters {
  public static final ParameterRules RULES =
      new ParameterRules(
          Map.ofEntries(
              Map.entry("model", requiredString()),
              Map.entry("messages", messages(false)),
              Map.entry("max_tokens", integer(1, Integer.MAX_VALUE, true)),
              Map.entry("temperature", number(0, 1)),
              Map.entry("top_p", number(0, 1)),
              Map.entry("top_k", integer(0, Integer.MAX_VALUE, false)),
              Map.entry("stream", bool()),
              Map.entry("stop_sequences", strings(8191, false)),
              Map.entry("system", systemPrompt()),
              Map.entry("metadata", object()),
              Map.entry("tools", array()),
              Map.entry("tool_choice", object())),
          ParameterRules.Wording.ANTHROPIC);

  private AnthropicParameters() {}

  private static ParameterRules.Rule systemPrompt() {
    ParameterRules.Rule content = textOrBlocks();
    return (parser, path, rules) -> {
      if (parser.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
        content.check(parser, path, rules);
      }
    };
  }
}
