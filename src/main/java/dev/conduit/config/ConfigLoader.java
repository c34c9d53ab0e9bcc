package dev.conduit.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a YAML configuration file: {@code ${ENV}} substitution, strict binding (an unknown key is
 * an error), environment overrides ({@code CONDUIT_*}), then validation.
 */
public final class ConfigLoader {
  /**
   * Keys whose unresolved {@code ${VAR}} only disables their provider instead of failing start: API
   * keys and the other credentials (Google Cloud project and key file, AWS keys).
   */
  private final ObjectMapper yaml;

  private final Map<String, String> env;
  private final EnvReferences references;
  private final Map<String, Set<String>> providerTypes;

  /** Where a provider's key may name an unset variable: the provider is then kept unavailable. */
  private final Pattern providerKeyPath;

  /**
   * @param env the environment {@code ${VAR}} references and {@code CONDUIT_*} overrides read
   * @param providerTypes each provider type's name and the keys of its own it takes
   */
  public ConfigLoader(Map<String, String> env, Map<String, Set<String>> providerTypes) {
    this.env = env;
    this.references = new EnvReferences(env);
    this.providerTypes = Map.copyOf(providerTypes);
    Set<String> credentialKeys = new TreeSet<>(Set.of("apiKey", "apiKeys\\[\\d+]"));
    providerTypes.values().forEach(credentialKeys::addAll);
    this.providerKeyPath =
        Pattern.compile("providers\\[\\d+]\\.(" + String.join("|", credentialKeys) + ")");
    this.yaml =
        new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  public ConduitConfig load(Path file) {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(source + ": file not found");
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, source);
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public ConduitConfig parse(String text, String source) {
    JsonNode tree;
    try {
      tree = yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          source + ": not valid YAML: " + e.getOriginalMessage() + locationOf(e));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = yaml.createObjectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException(source + ": the top level must be a mapping of keys");
    }
    substitute(tree, "", source);
    ConduitConfig config;
    try {
      config = yaml.treeToValue(tree, ConduitConfig.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(describeBindingError(e, source), e);
    }
    config = applyEnvOverrides(config);
    new ConfigValidator(source, providerTypes).validate(config);
    return config;
  }

  private void substitute(JsonNode node, String path, String source) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (field.getValue().isTextual()) {
          field.setValue(resolveText(field.getValue().textValue(), childPath, source));
        } else {
          substitute(field.getValue(), childPath, source);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String childPath = path + "[" + i + "]";
        if (array.get(i).isTextual()) {
          array.set(i, resolveText(array.get(i).textValue(), childPath, source));
        } else {
          substitute(array.get(i), childPath, source);
        }
      }
    }
  }

  private TextNode resolveText(String value, String path, String source) {
    EnvReferences.Resolved resolved = references.resolve(value);
    if (!resolved.unsetVariables().isEmpty() && !providerKeyPath.matcher(path).matches()) {
      throw new ConfigException(
          source
              + ": "
              + path
              + ": environment variable "
              + resolved.unsetVariables().get(0)
              + " is not set");
    }
    return TextNode.valueOf(resolved.value());
  }

  private ConduitConfig applyEnvOverrides(ConduitConfig config) {
    ServerConfig server = config.server();
    Integer port = intFromEnv("CONDUIT_PORT");
    Integer adminPort = intFromEnv("CONDUIT_ADMIN_PORT");
    if (port != null || adminPort != null) {
      server =
          server.withPorts(
              port != null ? port : server.port(),
              adminPort != null ? adminPort : server.adminPort());
    }
    String masterKey = env.get("CONDUIT_MASTER_KEY");
    if (masterKey != null && !masterKey.isEmpty()) {
      server = server.withMasterKey(masterKey);
    }
    config = config.withServer(server);
    String databaseUrl = env.get("CONDUIT_DATABASE_URL");
    if (databaseUrl != null && !databaseUrl.isEmpty()) {
      config = config.withDatabase(config.database().withUrl(databaseUrl));
    }
    String redisUrl = env.get("CONDUIT_REDIS_URL");
    if (redisUrl != null && !redisUrl.isEmpty()) {
      config =
          config.withRedis(
              config.redis() == null
                  ? new RedisConfig(redisUrl)
                  : config.redis().withUrl(redisUrl));
    }
    String encryptionKey = env.get("CONDUIT_ENCRYPTION_KEY");
    if (encryptionKey != null && !encryptionKey.isEmpty()) {
      config = config.withEncryption(config.encryption().withKey(encryptionKey));
    }
    return config;
  }

  /**
   * Checks a configuration assembled at run time (file plus admin API definitions) with the same
   * rules as a file; throws {@link ConfigException} naming {@code source} and the key.
   */
  public void validate(ConduitConfig config, String source) {
    new ConfigValidator(source, providerTypes).validate(config);
  }

  private Integer intFromEnv(String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "environment variable " + name + ": expected a port number, got '" + value + "'");
    }
  }

  private static String describeBindingError(JsonProcessingException e, String source) {
    String path = e instanceof JsonMappingException mapping ? pathOf(mapping) : "";
    String where = source + ": " + (path.isEmpty() ? "" : path + ": ");
    if (e instanceof UnrecognizedPropertyException unknown) {
      Set<String> known = new TreeSet<>();
      unknown.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      return where + "unknown key (known keys here: " + String.join(", ", known) + ")";
    }
    if (e instanceof InvalidFormatException invalid) {
      return where
          + "expected "
          + simpleType(invalid.getTargetType())
          + ", got '"
          + invalid.getValue()
          + "'";
    }
    if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
      return where + "expected " + simpleType(mismatched.getTargetType());
    }
    return where + e.getOriginalMessage();
  }

  private static String pathOf(JsonMappingException e) {
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

  private static String simpleType(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "a mapping of keys";
    }
    return type.getSimpleName();
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }
}
