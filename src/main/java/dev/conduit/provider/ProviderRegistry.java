package dev.conduit.provider;

import dev.conduit.config.EnvReferences;
import dev.conduit.config.ProviderConfig;
import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.anthropic.AnthropicProviderType;
import dev.conduit.provider.azure.AzureProviderType;
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
 * The provider types the gateway knows, and the providers in force: a snapshot replaced whole
 * when an admin change arrives, so a request sees one consistent set.
 */
public final class ProviderRegistry {
  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  private volatile Map<String, Provider> providers;

  private ProviderRegistry(Map<String, Provider> providers) {
    this.providers = providers;
  }

  /** Every provider type, by configuration name. */
  public static Map<String, ProviderType> types() {
    Map<String, ProviderType> types = new LinkedHashMap<>();
    List<ProviderType> all = new ArrayList<>(OpenAiPresets.types());
    all.add(new AzureProviderType());
    all.add(new AnthropicProviderType());
    all.add(new SimulatedProviderType());
    for (ProviderType type : all) {
      types.put(type.name(), type);
    }
    return types;
  }

  public static Set<String> typeNames() {
    return new TreeSet<>(types().keySet());
  }

  /** Builds every configured provider; one whose key is missing is kept but unavailable. */
  public static ProviderRegistry build(List<ProviderConfig> configs) {
    Map<String, Provider> providers = buildAll(configs, name -> ProviderRuntime.defaults());
    for (Provider provider : providers.values()) {
      provider.unavailableReason().ifPresent(reason -> log.warn(
          "Provider '{}' is unavailable: {}. Its models answer 503 until it is set.",
          provider.name(), reason));
    }
    return new ProviderRegistry(providers);
  }

  /** Builds providers from definitions and their run-time state, in order. */
  public static Map<String, Provider> buildAll(List<ProviderConfig> configs,
      Function<String, ProviderRuntime> runtime) {
    Map<String, ProviderType> types = types();
    Map<String, Provider> providers = new LinkedHashMap<>();
    for (ProviderConfig config : configs) {
      providers.put(config.name(), create(types.get(config.type()), config,
          runtime.apply(config.name())));
    }
    return Collections.unmodifiableMap(providers);
  }

  private static Provider create(ProviderType type, ProviderConfig config,
      ProviderRuntime runtime) {
    List<String> keys = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    for (String key : config.allApiKeys()) {
      EnvReferences.unresolvedVariable(key).ifPresentOrElse(unset::add, () -> keys.add(key));
    }
    Optional<String> unavailable = type.configProblem(config);
    if (unavailable.isEmpty() && type.requiresApiKey() && keys.isEmpty()) {
      unavailable = Optional.of(unset.isEmpty()
          ? "no apiKey is configured"
          : "environment variable " + String.join(", ", unset) + " is not set");
    }
    TimeoutsConfig timeouts = config.timeouts() == null
        ? TimeoutsConfig.DEFAULTS
        : config.timeouts().orElse(TimeoutsConfig.DEFAULTS);
    ApiKeyRing ring = new ApiKeyRing(keys, runtime.rejectedKeys());
    String baseUrl = config.baseUrl() != null ? config.baseUrl() : type.defaultBaseUrl();
    ProviderAdapter adapter = type.create(new ProviderSetup(config, ring, baseUrl));
    // Regional endpoints set through the admin API replace those of the configuration.
    Map<String, String> regional = runtime.regionalEndpoints().isEmpty()
        ? config.regionalEndpoints()
        : runtime.regionalEndpoints();
    return new Provider(config.name(), config, adapter, timeouts, unavailable, ring,
        runtime.enabled(), regional);
  }

  /** Puts a new set of providers in force. */
  public void replace(Map<String, Provider> newProviders) {
    this.providers = newProviders;
  }

  public Optional<Provider> find(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  public Collection<Provider> all() {
    return providers.values();
  }
}
