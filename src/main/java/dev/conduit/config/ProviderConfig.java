package dev.conduit.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream provider account: the keys every provider type shares. The keys only one type uses
 * (Google Cloud's {@code project}, AWS's {@code accessKeyId}, ...) are written beside them in the
 * file and kept, unread, in {@link #settings}: the type names them ({@code
 * ProviderType.settingKeys}), the loader refuses any other key, and the type parses them into its
 * own settings record. docs/providers.md lists the keys per type.
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
 * @param settings the type's own keys, by name, as written
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
    Integer defaultMaxTokens,
    @JsonAnySetter @JsonAnyGetter Map<String, String> settings) {

  public ProviderConfig {
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    regionalEndpoints = regionalEndpoints == null ? Map.of() : Map.copyOf(regionalEndpoints);
    settings =
        settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** The keys every provider type takes, as written in the file. */
  public static final List<String> COMMON_KEYS =
      List.of(
          "name",
          "type",
          "baseUrl",
          "apiKey",
          "apiKeys",
          "timeouts",
          "apiVersion",
          "region",
          "regionalEndpoints",
          "defaultMaxTokens");

  /** A provider with only the common keys set. */
  public ProviderConfig(
      String name,
      String type,
      String baseUrl,
      String apiKey,
      List<String> apiKeys,
      TimeoutsConfig timeouts) {
    this(name, type, baseUrl, apiKey, apiKeys, timeouts, null, null, null, null);
  }

  /** A provider without keys of its type's own. */
  public ProviderConfig(
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
    this(
        name,
        type,
        baseUrl,
        apiKey,
        apiKeys,
        timeouts,
        apiVersion,
        region,
        regionalEndpoints,
        defaultMaxTokens,
        Map.of());
  }

  /** The value of one of the type's own keys, or null when unset or empty. */
  public String setting(String key) {
    String value = settings.get(key);
    return value == null || value.isEmpty() ? null : value;
  }

  /** This configuration with the type's own keys replaced. */
  public ProviderConfig withSettings(Map<String, String> newSettings) {
    return new ProviderConfig(
        name,
        type,
        baseUrl,
        apiKey,
        apiKeys,
        timeouts,
        apiVersion,
        region,
        regionalEndpoints,
        defaultMaxTokens,
        newSettings);
  }

  /** All keys configured, single and listed, in order. */
  public List<String> allApiKeys() {
    if (apiKey == null || apiKey.isEmpty()) {
      return apiKeys;
    }
    var keys = new ArrayList<String>();
    keys.add(apiKey);
    keys.addAll(apiKeys);
    return List.copyOf(keys);
  }

  @Override
  public String toString() {
    return "ProviderConfig[name="
        + name
        + ", type="
        + type
        + ", baseUrl="
        + baseUrl
        + ", apiKeys="
        + allApiKeys().size()
        + "]";
  }
}
