package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Usage;

/**
 * Gemini's {@code usageMetadata} in canonical terms
 * (https://ai.google.dev/api/generate-content#UsageMetadata). The prompt count includes cached
 * content ({@code cachedContentTokenCount} is part of it) and tool-use prompt tokens are added;
 * output is {@code candidatesTokenCount} plus {@code thoughtsTokenCount}, which Gemini counts apart
 * (its total is their sum); the thought tokens are also the reasoning tokens. In a stream every
 * chunk repeats the usage so far, so the last one is the request's.
 */
final class GeminiUsage {
  private GeminiUsage() {}

  static Usage of(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    long prompt =
        usage.path("promptTokenCount").asLong(0) + usage.path("toolUsePromptTokenCount").asLong(0);
    long thoughts = usage.path("thoughtsTokenCount").asLong(0);
    long output = usage.path("candidatesTokenCount").asLong(0) + thoughts;
    return new Usage(prompt, output, usage.path("cachedContentTokenCount").asLong(0), 0, thoughts);
  }
}
