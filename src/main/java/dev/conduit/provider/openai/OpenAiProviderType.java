package dev.conduit.provider.openai;

import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderSetup;
import dev.conduit.provider.ProviderType;

/**
 * {@code type: openai} and the OpenAI-compatible presets ({@code mistral}, {@code groq}, ...): one
 * type per {@link OpenAiPreset}. Any other OpenAI-compatible server works as {@code openai} with
 * its {@code baseUrl}.
 */
public final class OpenAiProviderType implements ProviderType {
  private final OpenAiPreset preset;

  public OpenAiProviderType(OpenAiPreset preset) {
    this.preset = preset;
  }

  @Override
  public String name() {
    return preset.type();
  }

  @Override
  public boolean requiresApiKey() {
    return preset.requiresApiKey();
  }

  @Override
  public String defaultBaseUrl() {
    return preset.defaultBaseUrl();
  }

  @Override
  public ProviderAdapter create(ProviderSetup setup) {
    return new OpenAiAdapter(setup.name(), setup.baseUrl(), setup.keys(), preset);
  }
}
