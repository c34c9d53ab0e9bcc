package dev.conduit.config;

import java.util.List;

/**
 * One upstream provider account.
 *
 * @param name unique name, referenced by deployments
 * @param type adapter type: {@code openai} (and OpenAI-compatible), {@code simulated}
 * @param baseUrl overrides the type's public default
 * @param apiKey a single API key (usually {@code ${ENV_VAR}})
 * @param apiKeys several API keys, used in turn
 * @param timeouts defaults for this provider's deployments
 */
public record ProviderConfig(
    String name,
    String type,
    String baseUrl,
    String apiKey,
    List<String> apiKeys,
    TimeoutsConfig timeouts) {

  public ProviderConfig {
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
  }

  /** All keys configured, single and listed, in order. */
  public List<String> allApiKeys() {
    if (apiKey == null || apiKey.isEmpty()) {
      return apiKeys;
    }
    var keys = new java.util.ArrayList<String>();
    keys.add(apiKey);
    keys.addAll(apiKeys);
    return List.copyOf(keys);
  }

  @Override
  public String toString() {
    return "ProviderConfig[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl
        + ", apiKeys=" + allApiKeys().size() + "]";
  }
}
