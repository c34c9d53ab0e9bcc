package dev.conduit.api.openai.responses;

import static dev.conduit.api.ParameterRules.array;
import static dev.conduit.api.ParameterRules.bool;
import static dev.conduit.api.ParameterRules.integer;
import static dev.conduit.api.ParameterRules.number;
import static dev.conduit.api.ParameterRules.object;
import static dev.conduit.api.ParameterRules.requiredString;
import static dev.conduit.api.ParameterRules.string;

import dev.conduit.api.ParameterRules;
import dev.conduit.api.openai.OpenAiParameters;
import java.util.Map;

/**
 * OpenAI's limits on the parameters of {@code /v1/responses}
 * (https://platform.openai.com/docs/api-reference/responses/create) that Conduit reads or that
 * decide cost; {@code input} is checked when the body is decoded (a string or an array of items).
 */
public final class ResponsesParameters {
  public static final ParameterRules RULES =
      new ParameterRules(
          Map.ofEntries(
              Map.entry("model", requiredString()),
              Map.entry("max_output_tokens", integer(1, OpenAiParameters.MAX_TOKENS, false)),
              Map.entry("temperature", number(0, 2)),
              Map.entry("top_p", number(0, 1)),
              Map.entry("stream", bool()),
              Map.entry("store", bool()),
              Map.entry("parallel_tool_calls", bool()),
              Map.entry("previous_response_id", string()),
              Map.entry("instructions", string()),
              Map.entry("tools", array()),
              Map.entry("text", object()),
              Map.entry("reasoning", object()),
              Map.entry("metadata", object()),
              Map.entry("user", string())),
          ParameterRules.Wording.OPENAI);

  private ResponsesParameters() {}
}
