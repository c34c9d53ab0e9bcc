package dev.conduit.provider.anthropic;

import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderSetup;
import dev.conduit.provider.ProviderType;

/** {@code type: anthropic}: Anthropic's Messages API. */
public final class AnthropicProviderType implements ProviderType {
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** The API version every current SDK sends. */
  public static final String DEFAULT_API_VERSION = "2023-06-01";

  /** Output limit when the caller sets none (Anthropic requires one). */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public boolean requiresApiKey() {
    return true;
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_BASE_URL;
  }

  @Override
  public ProviderAdapter create(ProviderSetup setup) {
    Integer maxTokens = setup.config().defaultMaxTokens(); // at least 1: ConfigValidator
    return new AnthropicAdapter(
        setup.name(),
        setup.baseUrl(),
        setup.keys(),
        setup.config().apiVersion() == null ? DEFAULT_API_VERSION : setup.config().apiVersion(),
        maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens);
  }
}
