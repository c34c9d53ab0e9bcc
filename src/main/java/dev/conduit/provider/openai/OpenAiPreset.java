package dev.conduit.provider.openai;

import dev.conduit.provider.RerankConverter;

/**
 * An OpenAI-compatible service: what tells it apart from OpenAI itself.
 *
 * @param type the configuration {@code type:} name
 * @param defaultBaseUrl base URL (ending before {@code /chat/completions}) when none is configured
 * @param requiresApiKey whether calls need a key (local servers such as Ollama do not)
 * @param acceptsStreamUsageOption whether it accepts {@code stream_options.include_usage}; those
 *     that do not either reject it (Mistral answers 422) or send usage on their own
 * @param maxTokensField the request field for the output limit: OpenAI's current {@code
 *     max_completion_tokens} or the older {@code max_tokens} most compatible servers know
 * @param rerank the service's own rerank API, which {@code /v1/rerank} is translated to; null when
 *     it has none
 */
public record OpenAiPreset(
    String type,
    String defaultBaseUrl,
    boolean requiresApiKey,
    boolean acceptsStreamUsageOption,
    String maxTokensField,
    RerankConverter rerank) {

  /** A service without a rerank API. */
  public OpenAiPreset(
      String type,
      String defaultBaseUrl,
      boolean requiresApiKey,
      boolean acceptsStreamUsageOption,
      String maxTokensField) {
    this(type, defaultBaseUrl, requiresApiKey, acceptsStreamUsageOption, maxTokensField, null);
  }
}
