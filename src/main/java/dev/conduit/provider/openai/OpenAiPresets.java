package dev.conduit.provider.openai;

import dev.conduit.provider.ProviderType;
import dev.conduit.provider.cohere.CohereRerankConverter;
import dev.conduit.provider.jina.JinaRerankConverter;
import dev.conduit.provider.voyage.VoyageRerankConverter;
import java.util.List;

/**
 * OpenAI itself and the services that speak its protocol, each a configuration {@code type:}. Base
 * URLs and quirks from each provider's public API reference (docs/providers.md lists them).
 */
public final class OpenAiPresets {
  private static final String MAX_TOKENS = "max_tokens";

  /** OpenAI (https://platform.openai.com/docs/api-reference/chat). */
  public static final OpenAiPreset OPENAI =
      new OpenAiPreset("openai", "https://api.openai.com/v1", true, true, "max_completion_tokens");

  private static final List<OpenAiPreset> ALL =
      List.of(
          OPENAI,
          // Rejects unknown fields such as stream_options with 422; sends usage in its last chunk.
          new OpenAiPreset("mistral", "https://api.mistral.ai/v1", true, false, MAX_TOKENS),
          new OpenAiPreset("groq", "https://api.groq.com/openai/v1", true, true, MAX_TOKENS),
          // Together and Fireworks put usage on their last chunk without being asked.
          new OpenAiPreset("together", "https://api.together.xyz/v1", true, false, MAX_TOKENS),
          new OpenAiPreset("deepseek", "https://api.deepseek.com", true, true, MAX_TOKENS),
          new OpenAiPreset("openrouter", "https://openrouter.ai/api/v1", true, true, MAX_TOKENS),
          new OpenAiPreset(
              "fireworks", "https://api.fireworks.ai/inference/v1", true, false, MAX_TOKENS),
          new OpenAiPreset("cerebras", "https://api.cerebras.ai/v1", true, false, MAX_TOKENS),
          // Rerank services: their rerank APIs are translated from /v1/rerank; Cohere's chat and
          // embeddings go through its OpenAI compatibility API, Jina's and Voyage's embeddings
          // are OpenAI-shaped.
          new OpenAiPreset(
              "cohere",
              "https://api.cohere.com/compatibility/v1",
              true,
              false,
              MAX_TOKENS,
              CohereRerankConverter.INSTANCE),
          new OpenAiPreset(
              "jina",
              "https://api.jina.ai/v1",
              true,
              false,
              MAX_TOKENS,
              JinaRerankConverter.INSTANCE),
          new OpenAiPreset(
              "voyage",
              "https://api.voyageai.com/v1",
              true,
              false,
              MAX_TOKENS,
              VoyageRerankConverter.INSTANCE),
          // Local servers: no key needed (one is sent when configured).
          new OpenAiPreset("ollama", "http://localhost:11434/v1", false, true, MAX_TOKENS),
          new OpenAiPreset("vllm", "http://localhost:8000/v1", false, true, MAX_TOKENS));

  private OpenAiPresets() {}

  public static List<OpenAiPreset> all() {
    return ALL;
  }

  /** One provider type per preset. */
  public static List<ProviderType> types() {
    return ALL.stream().<ProviderType>map(OpenAiProviderType::new).toList();
  }
}
