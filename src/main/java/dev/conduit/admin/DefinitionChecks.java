package dev.conduit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.TextRules;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a provider or model-mapping body against the configuration record it binds to, field by
 * field, before Jackson binds it: JSON types exactly as declared (a number is not a string, a
 * string of digits is not a number, {@code 1.5} or {@code 1e400} is not a whole number), names by
 * the name rule, every other text printable and bounded. Binding alone would coerce and the
 * configuration validator would see the coerced values; a 400 here names the field with its path
 * ({@code deployments[0].timeouts.connectMs}).
 */
final class DefinitionChecks {
  /** Text fields that hold names (shown in paths, metrics labels and logs). */
  private static final Set<String> NAME_FIELDS =
      Set.of("name", "alias", "provider", "type", "region", "strategy", "fallbacks");

  /** Text fields that name something upstream, which Conduit does not choose: labels. */
  private static final Set<String> LABEL_FIELDS = Set.of("model");

  private DefinitionChecks() {}

  /** Checks {@code body}, a JSON object, against the components of {@code type}. */
  static void check(JsonNode body, Class<? extends Record> type) {
    check(body, type, "");
  }

  private static void check(JsonNode object, Class<?> type, String prefix) {
    for (RecordComponent component : type.getRecordComponents()) {
      JsonNode value = object.get(component.getName());
      if (value != null && !value.isNull()) {
        checkValue(
            value, component.getGenericType(), component.getName(), prefix + component.getName());
      }
    }
  }

  /**
   * @param name the field's name, which picks the text rule (a list item's is its list's)
   * @param path where the value is, for messages
   */
  private static void checkValue(JsonNode value, Type type, String name, String path) {
    if (type == String.class) {
      if (!value.isTextual()) {
        throw AdminJson.bad("'" + path + "' must be a string.", path);
      }
      checkText(value.asText(), name, path);
    } else if (type == Integer.class || type == int.class) {
      if (!value.isIntegralNumber() || !value.canConvertToInt()) {
        throw AdminJson.bad(
            "'" + path + "' must be a whole number of at most " + Integer.MAX_VALUE + ".", path);
      }
    } else if (type == Long.class || type == long.class) {
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw AdminJson.bad(
            "'" + path + "' must be a whole number of at most " + Long.MAX_VALUE + ".", path);
      }
    } else if (type instanceof ParameterizedType generic && generic.getRawType() == List.class) {
      if (!value.isArray()) {
        throw AdminJson.bad("'" + path + "' must be an array.", path);
      }
      if (value.size() > AdminText.MAX_LIST) {
        throw AdminJson.bad(
            "'" + path + "' may hold at most " + AdminText.MAX_LIST + " entries.", path);
      }
      Type item = generic.getActualTypeArguments()[0];
      for (int i = 0; i < value.size(); i++) {
        if (value.get(i).isNull()) {
          throw AdminJson.bad("'" + path + "' must not contain null.", path);
        }
        checkValue(value.get(i), item, name, path + "[" + i + "]");
      }
    } else if (type instanceof ParameterizedType generic && generic.getRawType() == Map.class) {
      if (!value.isObject()) {
        throw AdminJson.bad("'" + path + "' must be an object.", path);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String problem = TextRules.nameProblem(entry.getKey());
        if (problem != null) {
          throw AdminJson.bad("'" + path + "' keys " + problem + ".", path);
        }
        if (!entry.getValue().isTextual()) {
          throw AdminJson.bad("'" + path + "' values must be strings.", path);
        }
        checkText(entry.getValue().asText(), "", path + "." + entry.getKey());
      }
    } else if (type instanceof Class<?> nested && nested.isRecord()) {
      if (!value.isObject()) {
        throw AdminJson.bad("'" + path + "' must be an object.", path);
      }
      check(value, nested, path + ".");
    }
  }

  /**
   * Checks the fields of {@code body} outside {@code commonKeys}, the keys a provider type adds
   * (text only, such as AWS's {@code accessKeyId}): each must be a string of allowed characters.
   */
  static void checkTypeKeys(JsonNode body, Collection<String> commonKeys) {
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      if (commonKeys.contains(field.getKey()) || field.getValue().isNull()) {
        continue;
      }
      if (!field.getValue().isTextual()) {
        throw AdminJson.bad("'" + field.getKey() + "' must be a string.", field.getKey());
      }
      checkText(field.getValue().asText(), field.getKey(), field.getKey());
    }
  }

  private static void checkText(String text, String name, String path) {
    if (NAME_FIELDS.contains(name)) {
      AdminText.checkName(text, path);
    } else if (LABEL_FIELDS.contains(name)) {
      AdminText.checkText(text, path, TextRules.MAX_NAME);
    } else {
      AdminText.checkText(text, path, TextRules.MAX_VALUE);
    }
  }
}
