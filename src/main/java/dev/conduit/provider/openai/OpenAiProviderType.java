package dev.conduit.provider.openai;

import dev.conduit.config.ProviderConfig;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderType;

/** {@code type: openai}: OpenAI itself, or any OpenAI-compatible server given its baseUrl. */
public final class OpenAiProviderType implements ProviderType {
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public boolean requiresApiKey() {
    return true;
  }

  @Override
  public ProviderAdapter create(ProviderConfig config, ApiKeyRing keys) {
    String baseUrl = config.baseUrl() == null ? DEFAULT_BASE_URL : config.baseUrl();
    return new OpenAiAdapter(config.name(), baseUrl, keys);
  }
}
