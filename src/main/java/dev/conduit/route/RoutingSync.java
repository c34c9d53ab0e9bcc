package dev.conduit.route;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigException;
import dev.conduit.config.ConfigLoader;
import dev.conduit.config.ModelConfig;
import dev.conduit.config.ProviderConfig;
import dev.conduit.core.Json;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderRuntime;
import dev.conduit.store.RoutingRepository;
import dev.conduit.store.SecretBox;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the providers and aliases in force in step with the configuration file and the admin
 * changes stored in the database. The rule: the file gives the starting set; a database definition
 * of the same name replaces the file's, a deleted one hides it, and database-only names are added
 * after the file's. Operator state (enabled, regional endpoints, circuit resets) applies to any
 * provider, wherever it is defined. Blocking: call from a worker thread.
 */
public final class RoutingSync {
  private static final Logger log = LoggerFactory.getLogger(RoutingSync.class);
  private static final ObjectMapper JSON = Json.MAPPER;

  /** Reads stored definitions, skipping keys this version does not know. */
  private static final ObjectReader STORED =
      JSON.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final ConduitConfig file;
  private final RoutingRepository repository;

  /** Marks a stored secret value as sealed by the {@link SecretBox}. */
  private static final String SEALED = "sealed:";

  private final SecretBox secrets;
  private final ConfigLoader validator;
  private final ProviderRegistry providers;
  private final ModelCatalog catalog;
  private final DeploymentStates states;
  private final ProviderHealth health;
  private final Consumer<Set<String>> onProvidersChanged;
  private final Map<String, Set<String>> rejectedKeys = new ConcurrentHashMap<>();
  private final Map<String, Long> circuitResetsSeen = new HashMap<>();
  private String version;
  private volatile Merged current;

  public RoutingSync(
      ConduitConfig file,
      RoutingRepository repository,
      SecretBox secrets,
      ConfigLoader validator,
      ProviderRegistry providers,
      ModelCatalog catalog,
      DeploymentStates states,
      ProviderHealth health,
      Consumer<Set<String>> onProvidersChanged) {
    this.file = file;
    this.repository = repository;
    this.secrets = secrets;
    this.validator = validator;
    this.providers = providers;
    this.catalog = catalog;
    this.states = states;
    this.health = health;
    this.onProvidersChanged = onProvidersChanged;
    this.current =
        new Merged(
            definitions(file.providers(), ProviderConfig::name),
            definitions(file.models(), ModelConfig::alias),
            Map.of(),
            Set.of(),
            Set.of());
  }

  /** Reads the database and puts the result in force. */
  public synchronized void reload() throws SQLException {
    RoutingRepository.Snapshot snapshot = repository.load();
    Merged merged;
    try {
      merged = merge(snapshot);
      validator.validate(merged.asConfig(file), "database");
    } catch (ConfigException | IllegalStateException e) {
      log.error(
          "Admin changes stored in the database cannot be used ({}); keeping the {} "
              + "definitions",
          e.getMessage(),
          version == null ? "file's" : "current");
      if (version != null) {
        version = snapshot.version();
        return;
      }
      merged =
          new Merged(current.providers(), current.models(), states(snapshot), Set.of(), Set.of());
    }
    apply(merged);
    version = snapshot.version();
  }

  /** Reloads when another instance (or this one) changed something since the last load. */
  public synchronized boolean reloadIfChanged() throws SQLException {
    String latest = repository.version();
    if (latest.equals(version)) {
      return false;
    }
    reload();
    return true;
  }

  /** The definitions in force now. */
  public Merged current() {
    return current;
  }

  /** The key ring state shared by every snapshot of {@code provider}. */
  private Set<String> rejectedKeysOf(String provider) {
    return rejectedKeys.computeIfAbsent(provider, name -> ConcurrentHashMap.newKeySet());
  }

  /** Puts rejected keys back into rotation and closes every circuit of a provider, here. */
  public void resetProvider(String provider) {
    states.resetProvider(provider);
    rejectedKeysOf(provider).clear();
    health.reset(provider);
  }

  private Merged merge(RoutingRepository.Snapshot snapshot) {
    Map<String, ProviderConfig> mergedProviders =
        definitions(file.providers(), ProviderConfig::name);
    Set<String> dbProviders = new java.util.HashSet<>();
    for (RoutingRepository.ProviderRow row : snapshot.providers()) {
      if (row.deleted()) {
        mergedProviders.remove(row.name());
      } else {
        mergedProviders.put(row.name(), readProvider(row));
        dbProviders.add(row.name());
      }
    }
    Map<String, ModelConfig> mergedModels = definitions(file.models(), ModelConfig::alias);
    Set<String> dbModels = new java.util.HashSet<>();
    for (RoutingRepository.ModelRow row : snapshot.models()) {
      if (row.deleted()) {
        mergedModels.remove(row.alias());
      } else {
        mergedModels.put(row.alias(), read(row.definition(), ModelConfig.class));
        dbModels.add(row.alias());
      }
    }
    return new Merged(mergedProviders, mergedModels, states(snapshot), dbProviders, dbModels);
  }

  private static Map<String, RoutingRepository.StateRow> states(
      RoutingRepository.Snapshot snapshot) {
    Map<String, RoutingRepository.StateRow> stateRows = new HashMap<>();
    snapshot.states().forEach(row -> stateRows.put(row.name(), row));
    return stateRows;
  }

  private void apply(Merged merged) {
    Map<String, Provider> built =
        providers.rebuild(
            new ArrayList<>(merged.providers().values()), name -> runtime(name, merged));
    providers.replace(built);
    catalog.replace(
        ModelCatalog.routes(
            new ArrayList<>(merged.models().values()), providers, file.routing().retries()));
    for (RoutingRepository.StateRow state : merged.states().values()) {
      Long seen = circuitResetsSeen.put(state.name(), state.circuitResets());
      if (seen != null && state.circuitResets() > seen) {
        log.info("Circuits of provider '{}' reset by an operator", state.name());
        resetProvider(state.name());
      }
    }
    current = merged;
    onProvidersChanged.accept(built.keySet());
  }

  private ProviderRuntime runtime(String name, Merged merged) {
    RoutingRepository.StateRow state = merged.states().get(name);
    Map<String, String> endpoints =
        state == null || state.regionalEndpoints() == null
            ? Map.of()
            : read(state.regionalEndpoints(), new TypeReference<Map<String, String>>() {});
    return new ProviderRuntime(state == null || state.enabled(), endpoints, rejectedKeysOf(name));
  }

  private ProviderConfig readProvider(RoutingRepository.ProviderRow row) {
    ProviderConfig definition =
        withSecrets(
            read(row.definition(), ProviderConfig.class),
            value ->
                value.startsWith(SEALED)
                    ? secrets.decrypt(value.substring(SEALED.length()))
                    : value);
    List<String> keys =
        row.apiKeys() == null
            ? List.of()
            : read(secrets.decrypt(row.apiKeys()), new TypeReference<List<String>>() {});
    return withKeys(definition, keys);
  }

  /**
   * {@code definition} with the secrets of {@link ProviderRegistry#secretSettingKeys()} sealed by
   * {@code secrets}, for storing (API keys are stored apart, sealed too).
   */
  public static ProviderConfig sealed(ProviderConfig definition, SecretBox secrets) {
    return withSecrets(definition, value -> SEALED + secrets.encrypt(value));
  }

  /** {@code definition}, with the secrets it leaves out taken from {@code existing}. */
  public static ProviderConfig keepingSecrets(ProviderConfig definition, ProviderConfig existing) {
    com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(definition);
    com.fasterxml.jackson.databind.node.ObjectNode old = JSON.valueToTree(existing);
    for (String key : ProviderRegistry.secretSettingKeys()) {
      if (!tree.path(key).isTextual() && old.path(key).isTextual()) {
        tree.set(key, old.get(key));
      }
    }
    try {
      return STORED.treeToValue(tree, ProviderConfig.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code definition} with each set value of {@link ProviderRegistry#secretSettingKeys()} changed.
   */
  private static ProviderConfig withSecrets(
      ProviderConfig definition, java.util.function.UnaryOperator<String> change) {
    com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(definition);
    for (String key : ProviderRegistry.secretSettingKeys()) {
      if (tree.path(key).isTextual()) {
        tree.put(key, change.apply(tree.path(key).asText()));
      }
    }
    try {
      return STORED.treeToValue(tree, ProviderConfig.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code definition} holding exactly {@code keys} (in {@code apiKeys}); every other key kept,
   * whatever keys a provider type adds.
   */
  public static ProviderConfig withKeys(ProviderConfig definition, List<String> keys) {
    com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(definition);
    tree.putNull("apiKey");
    tree.set("apiKeys", JSON.valueToTree(keys));
    try {
      return STORED.treeToValue(tree, ProviderConfig.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return STORED.forType(type).readValue(json);
    } catch (IOException e) {
      throw new IllegalStateException("Corrupt stored definition: " + e.getMessage());
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return STORED.forType(type).readValue(json);
    } catch (IOException e) {
      throw new IllegalStateException("Corrupt stored value: " + e.getMessage());
    }
  }

  private static <T> Map<String, T> definitions(
      List<T> items, java.util.function.Function<T, String> name) {
    Map<String, T> map = new LinkedHashMap<>();
    items.forEach(item -> map.put(name.apply(item), item));
    return map;
  }

  /**
   * The definitions in force.
   *
   * @param providers provider definitions by name, keys included
   * @param models alias definitions by alias
   * @param states operator state by provider name
   * @param databaseProviders names defined (or overridden) in the database
   * @param databaseModels aliases defined (or overridden) in the database
   */
  public record Merged(
      Map<String, ProviderConfig> providers,
      Map<String, ModelConfig> models,
      Map<String, RoutingRepository.StateRow> states,
      Set<String> databaseProviders,
      Set<String> databaseModels) {

    public ConduitConfig asConfig(ConduitConfig file) {
      return file.withProviders(new ArrayList<>(providers.values()))
          .withModels(new ArrayList<>(models.values()));
    }

    /** Where a provider's definition comes from: {@code file} or {@code database}. */
    public String providerSource(String name) {
      return databaseProviders.contains(name) ? "database" : "file";
    }

    public String modelSource(String alias) {
      return databaseModels.contains(alias) ? "database" : "file";
    }
  }
}
