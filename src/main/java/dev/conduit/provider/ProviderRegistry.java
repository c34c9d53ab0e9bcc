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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider types the gateway knows, and the providers in force: a snapshot replaced whole when
 * an admin change arrives, so a request sees one consistent set.
 */
public final class ProviderRegistry {
  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  private static final Set<String> SECRET_SETTING_KEYS = collectSecretSettingKeys();

  private volatile Map<String, Provider> providers;
  private final ProviderServices services;

  private ProviderRegistry(Map<String, Provider> providers, ProviderServices services) {
    this.providers = providers;
    this.services = services;
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

  /** What the configuration loader checks a provider entry against: each type's own keys. */
  public static Map<String, Set<String>> configTypes() {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    types().forEach((name, type) -> keys.put(name, type.settingKeys()));
    return keys;
  }

  /**
   * The keys of any type that hold secrets (AWS's secret key and session token): stored encrypted
   * and shown only as hints, like API keys.
   */
  public static Set<String> secretSettingKeys() {
    return SECRET_SETTING_KEYS;
  }

  /** Builds every configured provider outside a running gateway (no credential calls). */
  public static ProviderRegistry build(List<ProviderConfig> configs) {
    return build(configs, ProviderServices.standalone());
  }

  /**
   * Builds every configured provider; one whose key or credentials are missing is kept but
   * unavailable.
   *
   * @param services what the providers may use from the running gateway (kept for rebuilds)
   */
  public static ProviderRegistry build(List<ProviderConfig> configs, ProviderServices services) {
    Map<String, Provider> providers =
        buildAll(configs, name -> ProviderRuntime.defaults(), services);
    for (Provider provider : providers.values()) {
      provider
          .unavailableReason()
          .ifPresent(
              reason ->
                  log.warn(
                      "Provider '{}' is unavailable: {}. Its models answer 503 until it is set.",
                      provider.name(),
                      reason));
    }
    return new ProviderRegistry(providers, services);
  }

  /** Builds providers from definitions and their run-time state, outside a running gateway. */
  public static Map<String, Provider> buildAll(
      List<ProviderConfig> configs, Function<String, ProviderRuntime> runtime) {
    return buildAll(configs, runtime, ProviderServices.standalone());
  }

  /** Builds providers from definitions and their run-time state, with this registry's services. */
  public Map<String, Provider> rebuild(
      List<ProviderConfig> configs, Function<String, ProviderRuntime> runtime) {
    return buildAll(configs, runtime, services);
  }

  private static Map<String, Provider> buildAll(
      List<ProviderConfig> configs,
      Function<String, ProviderRuntime> runtime,
      ProviderServices services) {
    Map<String, ProviderType> types = types();
    Map<String, Provider> providers = new LinkedHashMap<>();
    for (ProviderConfig config : configs) {
      providers.put(
          config.name(),
          create(types.get(config.type()), config, runtime.apply(config.name()), services));
    }
    return Collections.unmodifiableMap(providers);
  }

  private static Provider create(
      ProviderType type,
      ProviderConfig config,
      ProviderRuntime runtime,
      ProviderServices services) {
    List<String> keys = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    for (String key : config.allApiKeys()) {
      EnvReferences.unresolvedVariable(key).ifPresentOrElse(unset::add, () -> keys.add(key));
    }
    Set<String> unsetCredentials = new TreeSet<>();
    config
        .settings()
        .values()
        .forEach(value -> EnvReferences.unresolvedVariable(value).ifPresent(unsetCredentials::add));
    Optional<String> unavailable = type.configProblem(config);
    if (unavailable.isEmpty() && type.requiresApiKey(config) && keys.isEmpty()) {
      unavailable =
          Optional.of(
              unset.isEmpty()
                  ? "no apiKey is configured"
                  : "environment variable " + String.join(", ", unset) + " is not set");
    }
    if (unavailable.isEmpty() && !unsetCredentials.isEmpty()) {
      unavailable =
          Optional.of(
              "environment variable " + String.join(", ", unsetCredentials) + " is not set");
    }
    // The adapter never sees a credential whose variable is unset (a key file named "${VAR}").
    ProviderConfig usable =
        unsetCredentials.isEmpty() ? config : withoutUnresolvedCredentials(config);
    TimeoutsConfig timeouts =
        config.timeouts() == null
            ? TimeoutsConfig.DEFAULTS
            : config.timeouts().orElse(TimeoutsConfig.DEFAULTS);
    ApiKeyRing ring = new ApiKeyRing(keys, runtime.rejectedKeys());
    String baseUrl = config.baseUrl() != null ? config.baseUrl() : type.defaultBaseUrl();
    ProviderSetup setup = new ProviderSetup(usable, ring, baseUrl, services);
    ProviderAdapter adapter = type.create(setup);
    if (unavailable.isEmpty()) {
      unavailable = type.missingCredentials(setup);
    }
    // Regional endpoints set through the admin API replace those of the configuration.
    Map<String, String> regional =
        runtime.regionalEndpoints().isEmpty()
            ? config.regionalEndpoints()
            : runtime.regionalEndpoints();
    return new Provider(
        config.name(), config, adapter, timeouts, unavailable, ring, runtime.enabled(), regional);
  }

  private static Set<String> collectSecretSettingKeys() {
    Set<String> secrets = new TreeSet<>();
    types().values().forEach(type -> secrets.addAll(type.secretSettingKeys()));
    return Collections.unmodifiableSet(secrets);
  }

  /** Puts a new set of providers in force. */
  public void replace(Map<String, Provider> newProviders) {
    this.providers = newProviders;
  }

  /** The configuration with credentials whose variable is unset left out. */
  private static ProviderConfig withoutUnresolvedCredentials(ProviderConfig c) {
    Map<String, String> resolved = new LinkedHashMap<>();
    c.settings()
        .forEach(
            (key, value) -> {
              if (resolvedOrNull(value) != null) {
                resolved.put(key, value);
              }
            });
    return c.withSettings(resolved);
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
