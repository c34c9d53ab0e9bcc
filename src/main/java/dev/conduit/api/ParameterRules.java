package dev.conduit.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;

/**
 * The type and range rules of one client dialect's request parameters, checked during the one-pass
 * scan of the body (see {@code OpenAiRequestScanner}): a value Conduit reads or that decides cost
 * (max tokens, n) or that the provider would refuse anyway is refused here with a 400 in the
 * caller's dialect, before admission reserves a budget. Parameters without a rule pass untouched.
 *
 * <p>A rule starts on the value's first token and leaves the parser on its last one, so the scanner
 * carries on with the next field.
 */
public final class ParameterRules {
  /** No rules: the scan only reads what it needs. */
  public static final ParameterRules NONE = new ParameterRules(Map.of(), Wording.OPENAI);

  /** How a dialect words a refusal. */
  public enum Wording {
    /**
     * OpenAI's: {@code Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0
     * instead.}, with the parameter in {@code param}.
     */
    OPENAI,
    /** Anthropic's: {@code max_tokens: Input should be greater than or equal to 1}. */
    ANTHROPIC
  }

  /** One parameter's rule. */
  @FunctionalInterface
  public interface Rule {
    void check(JsonParser parser, String path, ParameterRules rules) throws IOException;
  }

  private final Map<String, Rule> rules;
  private final Wording wording;

  public ParameterRules(Map<String, Rule> rules, Wording wording) {
    this.rules = Map.copyOf(rules);
    this.wording = wording;
  }

  /** Checks the value of top-level parameter {@code name}, the parser on its first token. */
  public void check(String name, JsonParser parser) throws IOException {
    Rule rule = rules.get(name);
    if (rule != null) {
      rule.check(parser, name, this);
    }
  }

  /** The refusal of a request without required parameter {@code name}. */
  public GatewayError missing(String name) {
    return GatewayError.badRequest(
        "missing_required_parameter",
        wording == Wording.ANTHROPIC
            ? name + ": Field required"
            : "Missing required parameter: '" + name + "'.",
        name);
  }

  /** The path of item {@code index} of the array at {@code path}, as the dialect writes it. */
  String item(String path, int index) {
    return wording == Wording.ANTHROPIC ? path + "." + index : path + "[" + index + "]";
  }

  // Rules.

  /** A whole number from {@code min} to {@code max}; null allowed unless {@code required}. */
  public static Rule integer(long min, long max, boolean required) {
    return (parser, path, rules) -> {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL && !required) {
        return;
      }
      if (token != JsonToken.VALUE_NUMBER_INT) {
        throw rules.wrongType(path, "integer", parser);
      }
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        BigInteger value = parser.getBigIntegerValue();
        throw value.signum() < 0
            ? rules.outOfRange(path, true, true, min, parser)
            : rules.outOfRange(path, true, false, max, parser);
      }
      long value = parser.getLongValue();
      if (value < min) {
        throw rules.outOfRange(path, true, true, min, parser);
      }
      if (value > max) {
        throw rules.outOfRange(path, true, false, max, parser);
      }
    };
  }

  /** A number from {@code min} to {@code max}, or null. */
  public static Rule number(double min, double max) {
    return (parser, path, rules) -> {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return;
      }
      if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
        throw rules.wrongType(path, "number", parser);
      }
      double value = parser.getDoubleValue(); // 1e400 is infinite: above any maximum
      if (value < min) {
        throw rules.outOfRange(path, false, true, min, parser);
      }
      if (value > max) {
        throw rules.outOfRange(path, false, false, max, parser);
      }
    };
  }

  /** true, false or null. */
  public static Rule bool() {
    return scalar(JsonToken.VALUE_TRUE, "boolean");
  }

  /** A string or null. */
  public static Rule string() {
    return scalar(JsonToken.VALUE_STRING, "string");
  }

  /** A string, never null ({@code model}). */
  public static Rule requiredString() {
    return (parser, path, rules) -> {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        throw rules.wrongType(path, "string", parser);
      }
    };
  }

  /** An object (not looked into) or null. */
  public static Rule object() {
    return (parser, path, rules) -> {
      if (parser.currentToken() == JsonToken.START_OBJECT) {
        parser.skipChildren();
      } else if (parser.currentToken() != JsonToken.VALUE_NULL) {
        throw rules.wrongType(path, "object", parser);
      }
    };
  }

  /** An array (not looked into) or null. */
  public static Rule array() {
    return (parser, path, rules) -> {
      if (parser.currentToken() == JsonToken.START_ARRAY) {
        parser.skipChildren();
      } else if (parser.currentToken() != JsonToken.VALUE_NULL) {
        throw rules.wrongType(path, "array", parser);
      }
    };
  }

  /** An array of at most {@code maxItems} strings, or null; with {@code orString} a string too. */
  public static Rule strings(int maxItems, boolean orString) {
    return (parser, path, rules) -> {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL || orString && token == JsonToken.VALUE_STRING) {
        return;
      }
      if (token != JsonToken.START_ARRAY) {
        throw rules.wrongType(path, orString ? "string or array" : "array", parser);
      }
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
          throw rules.wrongType(rules.item(path, index), "string", parser);
        }
        index++;
      }
      if (index > maxItems) {
        throw rules.refuse(
            path,
            "array_above_max_length",
            "Invalid '" + path + "': array too long. Expected at most " + maxItems + " items.",
            "List should have at most " + maxItems + " items");
      }
    };
  }

  /** A string, or an array of objects (content blocks, not looked into); null never. */
  public static Rule textOrBlocks() {
    return (parser, path, rules) -> {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_STRING) {
        return;
      }
      if (token != JsonToken.START_ARRAY) {
        throw rules.wrongType(path, "string or array", parser);
      }
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
          throw rules.wrongType(rules.item(path, index), "object", parser);
        }
        parser.skipChildren();
        index++;
      }
    };
  }

  /**
   * The conversation: an array of objects whose {@code role} is a string and whose {@code content}
   * is a string or an array of parts (objects); {@code nullContent} allows a null content (an
   * OpenAI assistant message with tool calls). Other message fields are not looked into.
   */
  public static Rule messages(boolean nullContent) {
    Rule content = textOrBlocks();
    return (parser, path, rules) -> {
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        throw rules.wrongType(path, "array", parser);
      }
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        String message = rules.item(path, index);
        if (parser.currentToken() != JsonToken.START_OBJECT) {
          throw rules.wrongType(message, "object", parser);
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (field.equals("role")) {
            if (value != JsonToken.VALUE_STRING) {
              throw rules.wrongType(message + ".role", "string", parser);
            }
          } else if (field.equals("content")) {
            if (!(nullContent && value == JsonToken.VALUE_NULL)) {
              content.check(parser, message + ".content", rules);
            }
          } else {
            parser.skipChildren();
          }
        }
        index++;
      }
    };
  }

  private static Rule scalar(JsonToken expected, String type) {
    return (parser, path, rules) -> {
      JsonToken token = parser.currentToken();
      boolean matches =
          token == expected
              || token == JsonToken.VALUE_NULL
              || expected == JsonToken.VALUE_TRUE && token == JsonToken.VALUE_FALSE;
      if (!matches) {
        throw rules.wrongType(path, type, parser);
      }
    };
  }

  // Refusals, worded as the dialect words them.

  private GatewayException wrongType(String path, String expected, JsonParser parser) {
    String got = kindOf(parser.currentToken());
    String openAiExpected = expected.equals("number") ? "a decimal" : article(expected);
    String anthropic =
        switch (expected) {
          case "integer" -> "Input should be a valid integer";
          case "number" -> "Input should be a valid number";
          case "boolean" -> "Input should be a valid boolean";
          case "string" -> "Input should be a valid string";
          case "object" -> "Input should be a valid dictionary or object";
          case "array" -> "Input should be a valid list";
          default -> "Input should be a valid " + expected;
        };
    return refuse(
        path,
        "invalid_type",
        "Invalid type for '"
            + path
            + "': expected "
            + openAiExpected
            + ", but got "
            + got
            + " instead.",
        anthropic);
  }

  private GatewayException outOfRange(
      String path, boolean integer, boolean below, Number limit, JsonParser parser)
      throws IOException {
    String kind = integer ? "integer" : "decimal";
    String shownLimit =
        limit instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : "" + limit;
    String got = parser.getText();
    if (got.length() > 32) {
      got = got.substring(0, 32) + "...";
    }
    return refuse(
        path,
        kind + (below ? "_below_min_value" : "_above_max_value"),
        "Invalid '"
            + path
            + "': "
            + kind
            + (below ? " below minimum" : " above maximum")
            + " value. Expected a value "
            + (below ? ">= " : "<= ")
            + shownLimit
            + ", but got "
            + got
            + " instead.",
        "Input should be " + (below ? "greater" : "less") + " than or equal to " + shownLimit);
  }

  private GatewayException refuse(String path, String code, String openAi, String anthropic) {
    String message = wording == Wording.ANTHROPIC ? path + ": " + anthropic : openAi;
    return new GatewayException(GatewayError.badRequest(code, message, path));
  }

  private static String article(String type) {
    return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ")
        + type;
  }

  private static String kindOf(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> "something else";
    };
  }
}
