package dev.conduit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigException;
import dev.conduit.config.ConfigLoader;
import dev.conduit.config.ModelConfig;
import dev.conduit.config.ProviderConfig;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.route.RoutingChanges;
import dev.conduit.route.RoutingSync;
import dev.conduit.store.RoutingRepository;
import dev.conduit.store.SecretBox;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Admin changes to providers, model mappings and provider state: checks a change against the whole
 * configuration, stores it, puts it in force here, and tells the other instances. Blocking: call
 * from a worker thread.
 */
final class RoutingAdmin {
  /** Names that would clash with the fixed paths under {@code /api/admin/providers/}. */
  static final List<String> RESERVED_PROVIDER_NAMES = List.of("health", "config");

  /** Binds admin bodies as strictly as the configuration file is bound. */
  private static final ObjectReader STRICT =
      Json.MAPPER
          .reader()
          .with(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private final ConduitConfig file;
  private final RoutingRepository repository;
  private final RoutingSync sync;
  private final RoutingChanges changes;
  private final SecretBox secrets;
  private final ConfigLoader validator;

  RoutingAdmin(
      ConduitConfig file,
      RoutingRepository repository,
      RoutingSync sync,
      RoutingChanges changes,
      SecretBox secrets,
      ConfigLoader validator) {
    this.file = file;
    this.repository = repository;
    this.sync = sync;
    this.changes = changes;
    this.secrets = secrets;
    this.validator = validator;
  }

  RoutingSync sync() {
    return sync;
  }

  /** The JSON fields of a configuration record: its components. */
  static java.util.Set<String> fieldsOf(Class<? extends Record> type) {
    java.util.Set<String> fields = new java.util.LinkedHashSet<>();
    for (java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
      fields.add(component.getName());
    }
    return java.util.Collections.unmodifiableSet(fields);
  }

  /** Binds a JSON body into a configuration record; a 400 names the field at fault. */
  static <T> T bind(JsonNode body, Class<T> type) {
    try {
      return STRICT.treeToValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      throw AdminJson.bad("Unknown field '" + path(e) + "'.", path(e));
    } catch (JsonMappingException e) {
      String field = path(e);
      throw AdminJson.bad(
          "'" + field + "' has the wrong type: " + e.getOriginalMessage(),
          field.isEmpty() ? null : field);
    } catch (JsonProcessingException e) {
      throw AdminJson.bad("The request body is not valid: " + e.getOriginalMessage(), null);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  void createProvider(ProviderConfig definition) throws SQLException {
    if (RESERVED_PROVIDER_NAMES.contains(definition.name())) {
      throw AdminJson.bad("'" + definition.name() + "' is reserved; choose another name.", "name");
    }
    if (sync.current().providers().containsKey(definition.name())) {
      throw conflict(
          "A provider named '"
              + definition.name()
              + "' exists; use PUT "
              + "/api/admin/providers/"
              + definition.name()
              + " to change it.",
          "name");
    }
    saveProvider(definition, definition.allApiKeys());
  }

  /** Replaces a provider's definition; with no key in the body the stored keys stay. */
  void replaceProvider(String name, ProviderConfig definition) throws SQLException {
    ProviderConfig existing = sync.current().providers().get(name);
    if (existing == null) {
      throw notFound("No provider named '" + name + "'.");
    }
    List<String> keys =
        definition.allApiKeys().isEmpty() ? existing.allApiKeys() : definition.allApiKeys();
    saveProvider(RoutingSync.keepingSecrets(definition, existing), keys);
  }

  private void saveProvider(ProviderConfig definition, List<String> keys) throws SQLException {
    ProviderConfig withKeys = RoutingSync.withKeys(definition, keys);
    List<ProviderConfig> providers = new ArrayList<>();
    providers.add(withKeys);
    sync.current().providers().values().stream()
        .filter(p -> !p.name().equals(definition.name()))
        .forEach(providers::add);
    check(sync.current().asConfig(file).withProviders(providers), "providers[0].");
    String definitionJson =
        json(RoutingSync.sealed(RoutingSync.withKeys(definition, List.of()), secrets));
    String sealedKeys = keys.isEmpty() ? null : secrets.encrypt(json(keys));
    repository.saveProvider(
        new RoutingRepository.ProviderRow(definition.name(), definitionJson, sealedKeys, false));
    applied();
  }

  void deleteProvider(String name) throws SQLException {
    if (!sync.current().providers().containsKey(name)) {
      throw notFound("No provider named '" + name + "'.");
    }
    List<String> users = new ArrayList<>();
    for (ModelConfig model : sync.current().models().values()) {
      if (model.deployments().stream().anyMatch(d -> d.provider().equals(name))) {
        users.add(model.alias());
      }
    }
    if (!users.isEmpty()) {
      throw conflict(
          "Provider '"
              + name
              + "' is used by model mappings "
              + users
              + "; change or delete them first.",
          null);
    }
    repository.saveProvider(new RoutingRepository.ProviderRow(name, null, null, true));
    // A provider created again later under this name starts enabled and without endpoints.
    repository.setEnabled(name, true);
    repository.setRegionalEndpoints(name, null);
    applied();
  }

  void createModel(ModelConfig definition) throws SQLException {
    if (sync.current().models().containsKey(definition.alias())) {
      throw conflict(
          "A model mapping for '"
              + definition.alias()
              + "' exists; use PUT "
              + "/api/admin/model-mappings/"
              + definition.alias()
              + " to change it.",
          "alias");
    }
    saveModel(definition);
  }

  void replaceModel(String alias, ModelConfig definition) throws SQLException {
    if (!sync.current().models().containsKey(alias)) {
      throw notFound("No model mapping for '" + alias + "'.");
    }
    saveModel(definition);
  }

  private void saveModel(ModelConfig definition) throws SQLException {
    List<ModelConfig> models = new ArrayList<>();
    models.add(definition);
    sync.current().models().values().stream()
        .filter(m -> !m.alias().equals(definition.alias()))
        .forEach(models::add);
    check(sync.current().asConfig(file).withModels(models), "models[0].");
    repository.saveModel(
        new RoutingRepository.ModelRow(definition.alias(), json(definition), false));
    applied();
  }

  void deleteModel(String alias) throws SQLException {
    if (!sync.current().models().containsKey(alias)) {
      throw notFound("No model mapping for '" + alias + "'.");
    }
    List<String> users = new ArrayList<>();
    for (ModelConfig model : sync.current().models().values()) {
      if (model.fallbacks().contains(alias)) {
        users.add(model.alias());
      }
    }
    if (!users.isEmpty()) {
      throw conflict("'" + alias + "' is a fallback of " + users + "; change them first.", null);
    }
    repository.saveModel(new RoutingRepository.ModelRow(alias, null, true));
    applied();
  }

  void setEnabled(String provider, boolean enabled) throws SQLException {
    requireProvider(provider);
    repository.setEnabled(provider, enabled);
    applied();
  }

  void setRegionalEndpoints(String provider, Map<String, String> endpoints) throws SQLException {
    requireProvider(provider);
    repository.setRegionalEndpoints(provider, json(endpoints));
    applied();
  }

  void resetCircuits(String provider) throws SQLException {
    requireProvider(provider);
    sync.resetProvider(provider);
    repository.countCircuitReset(provider);
    applied();
  }

  void requireProvider(String provider) {
    if (!sync.current().providers().containsKey(provider)) {
      throw notFound("No provider named '" + provider + "'.");
    }
  }

  /** Puts the stored change in force here, then tells the other instances. */
  private void applied() throws SQLException {
    sync.reload();
    changes.announce();
  }

  /** Validates the whole configuration; a problem with the changed item names its field. */
  private void check(ConduitConfig proposed, String itemPrefix) {
    try {
      validator.validate(proposed, "request");
    } catch (ConfigException e) {
      String message =
          e.getMessage().startsWith("request: ")
              ? e.getMessage().substring("request: ".length())
              : e.getMessage();
      int colon = message.indexOf(": ");
      String key = colon < 0 ? null : message.substring(0, colon);
      String problem = colon < 0 ? message : message.substring(colon + 2);
      String field =
          key != null && key.startsWith(itemPrefix) ? key.substring(itemPrefix.length()) : key;
      throw AdminJson.bad("'" + field + "': " + problem, field);
    }
  }

  static GatewayException notFound(String message) {
    return new GatewayException(GatewayError.notFound(message));
  }

  static GatewayException conflict(String message, String field) {
    return new GatewayException(
        new GatewayError(409, "invalid_request_error", "conflict", message, field));
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
