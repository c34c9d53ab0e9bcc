package dev.conduit.provider;

import dev.conduit.config.EnvReferences;
import dev.conduit.config.ProviderConfig;
import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.anthropic.AnthropicProviderType;
import dev.conduit.provider.azure.AzureProviderType;
import dev.conduit.provider.bedrock.BedrockProviderType;
import dev.conduit.provider.gemini.GoogleCloudProviderType;
import dev.conduit.provider.openai.OpenAiPresets;
import dev.conduit.provider.simulated.SimulatedProviderType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The provider types the gateway knows, and the providers built from configuration. */
public final class ProviderRegistry {
  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  private final Map<String, Provider> providers;

  private ProviderRegistry(Map<String, Provider> providers) {
    this.providers = providers;
  }

  /** Every provider type, by configuration name. */
  public static Map<String, ProviderType> types() {
    Map<String, ProviderType> types = new LinkedHashMap<>();
    List<ProviderType> all = new ArrayList<>(OpenAiPresets.types());
    all.add(new AzureProviderType());
    all.add(new AnthropicProviderType());
    all.add(new GoogleCloudProviderType());
    all.add(new BedrockProviderType());
    all.add(new SimulatedProviderType());
    for (ProviderType type : all) {
      types.put(type.name(), type);
    }
    return types;
  }

  public static Set<String> typeNames() {
    return new TreeSet<>(types().keySet());
  }

  /** Builds every configured provider outside a running gateway (no credential calls). */
  public static ProviderRegistry build(List<ProviderConfig> configs) {
    return build(configs, ProviderServices.standalone());
  }

  /**
   * Builds every configured provider; one whose key or credentials are missing is kept but
   * unavailable.
   */
  public static ProviderRegistry build(List<ProviderConfig> configs, ProviderServices services) {
    Map<String, ProviderType> types = types();
    Map<String, Provider> providers = new LinkedHashMap<>();
    for (ProviderConfig config : configs) {
      ProviderType type = types.get(config.type());
      List<String> keys = new ArrayList<>();
      List<String> unset = new ArrayList<>();
      for (String key : config.allApiKeys()) {
        EnvReferences.unresolvedVariable(key).ifPresentOrElse(unset::add, () -> keys.add(key));
      }
      List<String> unsetCredentials = new ArrayList<>();
      config.credentialKeys().values().forEach(value ->
          EnvReferences.unresolvedVariable(value).ifPresent(unsetCredentials::add));
      Optional<String> unavailable = Optional.empty();
      if (type.requiresApiKey(config) && keys.isEmpty()) {
        unavailable = Optional.of(unset.isEmpty()
            ? "no apiKey is configured"
            : "environment variable " + String.join(", ", unset) + " is not set");
      } else if (!unsetCredentials.isEmpty()) {
        unavailable = Optional.of("environment variable " + String.join(", ", unsetCredentials)
            + " is not set");
        config = withoutUnresolvedCredentials(config);
      }
      TimeoutsConfig timeouts = config.timeouts() == null
          ? TimeoutsConfig.DEFAULTS
          : config.timeouts().orElse(TimeoutsConfig.DEFAULTS);
      BaseUrls baseUrls = new BaseUrls(
          config.baseUrl() != null ? config.baseUrl() : type.defaultBaseUrl(),
          config.region(), config.regionalEndpoints());
      ProviderSetup setup = new ProviderSetup(config, new ApiKeyRing(keys), baseUrls, services);
      ProviderAdapter adapter = type.create(setup);
      if (unavailable.isEmpty()) {
        unavailable = type.missingCredentials(setup);
      }
      unavailable.ifPresent(reason -> log.warn(
          "Provider '{}' is unavailable: {}. Its models answer 503 until it is set.",
          setup.name(), reason));
      providers.put(config.name(),
          new Provider(config.name(), config, adapter, timeouts, unavailable, baseUrls));
    }
    return new ProviderRegistry(java.util.Collections.unmodifiableMap(providers));
  }

  /** The configuration with credentials whose variable is unset left out. */
  private static ProviderConfig withoutUnresolvedCredentials(ProviderConfig c) {
    return new ProviderConfig(c.name(), c.type(), c.baseUrl(), c.apiKey(), c.apiKeys(),
        c.timeouts(), c.apiVersion(), c.region(), c.regionalEndpoints(), c.defaultMaxTokens(),
        resolvedOrNull(c.project()), resolvedOrNull(c.serviceAccountFile()),
        resolvedOrNull(c.accessKeyId()), resolvedOrNull(c.secretAccessKey()),
        resolvedOrNull(c.sessionToken()));
  }

  private static String resolvedOrNull(String value) {
    return EnvReferences.unresolvedVariable(value).isPresent() ? null : value;
  }

  public Optional<Provider> find(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  public Collection<Provider> all() {
    return providers.values();
  }
}
