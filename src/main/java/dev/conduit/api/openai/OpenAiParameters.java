package dev.conduit.api.openai;

import static dev.conduit.api.ParameterRules.array;
import static dev.conduit.api.ParameterRules.bool;
import static dev.conduit.api.ParameterRules.integer;
import static dev.conduit.api.ParameterRules.messages;
import static dev.conduit.api.ParameterRules.number;
import static dev.conduit.api.ParameterRules.object;
import static dev.conduit.api.ParameterRules.requiredString;
import static dev.conduit.api.ParameterRules.string;
import static dev.conduit.api.ParameterRules.strings;

import dev.conduit.api.ParameterRules;
import java.util.Map;

/**
 * The OpenAI API's own limits on the parameters of {@code /v1/chat/completions}, {@code
 * /v1/completions} and {@code /v1/embeddings}
 * (https://platform.openai.com/docs/api-reference/chat): what Conduit reads or what decides cost,
 * and common parameters an upstream would refuse anyway.
 */
public final class OpenAiParameters {
  /** The largest token count accepted: a 32-bit count, as OpenAI's API takes it. */
  public static final long MAX_TOKENS = Integer.MAX_VALUE;

  public static final ParameterRules RULES =
      new ParameterRules(
          Map.ofEntries(
              Map.entry("model", requiredString()),
              Map.entry("messages", messages(true)),
              Map.entry("max_tokens", integer(1, MAX_TOKENS, false)),
              Map.entry("max_completion_tokens", integer(1, MAX_TOKENS, false)),
              Map.entry("temperature", number(0, 2)),
              Map.entry("top_p", number(0, 1)),
              Map.entry("n", integer(1, 128, false)),
              Map.entry("stream", bool()),
              Map.entry("presence_penalty", number(-2, 2)),
              Map.entry("frequency_penalty", number(-2, 2)),
              Map.entry("logprobs", bool()),
              Map.entry("top_logprobs", integer(0, 20, false)),
              Map.entry("seed", integer(Long.MIN_VALUE, Long.MAX_VALUE, false)),
              Map.entry("stop", strings(4, true)),
              Map.entry("user", string()),
              Map.entry("parallel_tool_calls", bool()),
              Map.entry("tools", array()),
              Map.entry("response_format", object()),
              Map.entry("logit_bias", object()),
              Map.entry("dimensions", integer(1, MAX_TOKENS, false)),
              Map.entry("encoding_format", string())),
          ParameterRules.Wording.OPENAI);

  private OpenAiParameters() {}
}
