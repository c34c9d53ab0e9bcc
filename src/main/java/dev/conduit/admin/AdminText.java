package dev.conduit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.TextRules;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reading text fields of admin JSON bodies by the rules of {@link TextRules}: names (aliases,
 * models, providers, ids), labels (what a person calls a key or a group) and notes (descriptions,
 * reasons). A field of the wrong JSON type is an error, never coerced: {@code 123} is not a name.
 */
final class AdminText {
  /** The largest {@code metadata} object, as JSON text. */
  static final int MAX_METADATA_CHARS = 16 * 1024;

  /** The most entries in a list field ({@code allowedModels}, {@code ipAllowlist}, ...). */
  static final int MAX_LIST = 1000;

  private AdminText() {}

  /** A name; null when absent or null and not required. */
  static String name(JsonNode body, String field, boolean required) {
    String value = string(body, field, required);
    if (value != null) {
      checkName(value, field);
    }
    return value;
  }

  /** A label: printable text of at most {@link TextRules#MAX_NAME} characters. */
  static String label(JsonNode body, String field, boolean required) {
    return text(body, field, required, TextRules.MAX_NAME);
  }

  /** A note: printable text of at most {@link TextRules#MAX_NOTE} characters. */
  static String note(JsonNode body, String field, boolean required) {
    return text(body, field, required, TextRules.MAX_NOTE);
  }

  /** Printable single-line text of at most {@code maxLength} characters. */
  static String text(JsonNode body, String field, boolean required, int maxLength) {
    String value = string(body, field, required);
    if (value != null) {
      checkText(value, field, maxLength);
    }
    return value;
  }

  /** A list of names; {@code *} is allowed at the end of an entry when {@code patterns}. */
  static List<String> names(JsonNode body, String field, boolean patterns) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw AdminJson.bad("'" + field + "' must be an array of strings.", field);
    }
    if (value.size() > MAX_LIST) {
      throw AdminJson.bad("'" + field + "' may hold at most " + MAX_LIST + " entries.", field);
    }
    List<String> items = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw AdminJson.bad("'" + field + "' must contain only strings.", field);
      }
      String text = item.asText();
      String name = patterns && text.endsWith("*") ? text.substring(0, text.length() - 1) : text;
      String problem = name.isEmpty() && !text.isEmpty() ? null : TextRules.nameProblem(name);
      if (problem != null) {
        throw AdminJson.bad("'" + field + "' entries " + problem + ".", field);
      }
      items.add(text);
    }
    return items;
  }

  static void checkName(String value, String field) {
    String problem = TextRules.nameProblem(value);
    if (problem != null) {
      throw AdminJson.bad("'" + field + "' " + problem + ".", field);
    }
  }

  static void checkText(String value, String field, int maxLength) {
    String problem = TextRules.textProblem(value, maxLength);
    if (problem != null) {
      throw AdminJson.bad("'" + field + "' " + problem + ".", field);
    }
  }

  /**
   * Free-form JSON kept with a key: an object of at most {@link #MAX_METADATA_CHARS} characters of
   * JSON, whose keys and strings hold no control or format characters other than tabs and line
   * breaks. Null when absent or null.
   */
  static JsonNode metadata(JsonNode body, String field) {
    JsonNode metadata = body.get(field);
    if (metadata == null || metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject()) {
      throw AdminJson.bad("'" + field + "' must be a JSON object.", field);
    }
    if (metadata.toString().length() > MAX_METADATA_CHARS) {
      throw AdminJson.bad(
          "'" + field + "' must be at most " + MAX_METADATA_CHARS + " characters of JSON.", field);
    }
    checkData(metadata, field);
    return metadata;
  }

  private static void checkData(JsonNode node, String field) {
    if (node.isTextual()) {
      checkDataText(node.asText(), field);
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        checkDataText(entry.getKey(), field);
        checkData(entry.getValue(), field);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        checkData(item, field);
      }
    }
  }

  private static void checkDataText(String text, String field) {
    String problem = TextRules.dataProblem(text);
    if (problem != null) {
      throw AdminJson.bad("'" + field + "' text " + problem + ".", field);
    }
  }

  private static String string(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw AdminJson.bad("'" + field + "' is required and must be a string.", field);
      }
      return null;
    }
    if (!value.isTextual()) {
      throw AdminJson.bad("'" + field + "' must be a string.", field);
    }
    return value.asText();
  }
}
