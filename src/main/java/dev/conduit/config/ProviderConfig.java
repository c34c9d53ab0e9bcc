package dev.conduit.config;

import java.util.List;
import java.util.Map;

/**
 * One upstream provider account. Which keys apply depends on the type; docs/providers.md lists them
 * per type.
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
 * @param project the Google Cloud project ({@code googlecloud}: its presence selects Vertex AI)
 * @param serviceAccountFile path of a service-account JSON key ({@code googlecloud} on Vertex AI;
 *     else {@code GOOGLE_APPLICATION_CREDENTIALS})
 * @param accessKeyId AWS access key id ({@code bedrock}; else {@code AWS_ACCESS_KEY_ID})
 * @param secretAccessKey AWS secret access key ({@code bedrock}; else {@code
 *     AWS_SECRET_ACCESS_KEY})
 * @param sessionToken AWS session token of temporary credentials ({@code bedrock}; else {@code
 *     AWS_SESSION_TOKEN})
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
    String project,
    String serviceAccountFile,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken) {

  public ProviderConfig {
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    regionalEndpoints = regionalEndpoints == null ? Map.of() : Map.copyOf(regionalEndpoints);
  }

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

  /** A provider without the Google Cloud and AWS credential keys. */
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
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Keys other than the API keys that hold secrets ({@code bedrock}'s secret key and session
   * token): stored encrypted and shown only as hints, like API keys.
   */
  public static final List<String> SECRET_KEYS = List.of("secretAccessKey", "sessionToken");

  /** Credential-like keys other than API keys, by name, for the ones that are set. */
  public Map<String, String> credentialKeys() {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    putIfSet(keys, "project", project);
    putIfSet(keys, "serviceAccountFile", serviceAccountFile);
    putIfSet(keys, "accessKeyId", accessKeyId);
    putIfSet(keys, "secretAccessKey", secretAccessKey);
    putIfSet(keys, "sessionToken", sessionToken);
    return keys;
  }

  private static void putIfSet(Map<String, String> keys, String name, String value) {
    if (value != null && !value.isEmpty()) {
      keys.put(name, value);
    }
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
