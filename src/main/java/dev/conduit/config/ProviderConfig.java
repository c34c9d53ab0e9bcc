package dev.conduit.config;

import java.util.List;
import java.util.Map;

/**
 * One upstream provider account. Which keys apply depends on the type; docs/providers.md lists
 * them per type.
 *
 * @param name unique name, referenced by deployments
 * @param type adapter type, e.g. {@code openai}, {@code anthropic}, {@code azure}, {@code groq}
 * @param baseUrl overrides the type's public default
 * @param apiKey a single API key (usually {@code ${ENV_VAR}})
 * @param apiKeys several API keys, used in turn
 * @param timeouts defaults for this provider's deployments
 * @param apiVersion the API version to ask for ({@code azure}: the {@code api-version} query
 *     parameter; {@code anthropic}: the {@code anthropic-version} header)
 * @param region the region used by deployments that name none
 * @param regionalEndpoints base URL per region; a deployment in a listed region is called there
 * @param defaultMaxTokens output limit sent when the caller sets none, for providers that require
 *     one ({@code anthropic})
 */
public record ProviderConfig(
    String name,
    String type,
    String baseUrl,
    String apiKey,
    List<String> apiKeys,
    TimeoutsConfig timeouts,
    String apiVersion,
    String region,
    Map<String, String> regionalEndpoints,
    Integer defaultMaxTokens) {

  public ProviderConfig {
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    regionalEndpoints = regionalEndpoints == null ? Map.of() : Map.copyOf(regionalEndpoints);
  }

  /** A provider with only the common keys set. */
  public ProviderConfig(String name, String type, String baseUrl, String apiKey,
      List<String> apiKeys, TimeoutsConfig timeouts) {
    this(name, type, baseUrl, apiKey, apiKeys, timeouts, null, null, null, null);
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
