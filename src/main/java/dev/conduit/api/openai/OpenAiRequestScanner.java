package dev.conduit.api.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.conduit.api.ParameterRules;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Scans an OpenAI-format request body for the fields the gateway acts on (model, stream, stream
 * options, max tokens) in one pass of Jackson's streaming parser: nested values are skipped, not
 * materialised, which keeps large prompts cheap. The pass also validates the whole body as JSON.
 */
public final class OpenAiRequestScanner {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  // Bodies are bounded by server.maxBodyBytes; one string may be most of it.
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxDocumentLength(-1)
                  .build())
          .build();

  private OpenAiRequestScanner() {}

  /** Scans {@code body}; a body the gateway cannot use throws {@link GatewayException} (400). */
  public static OpenAiRequestScan scan(byte[] body) {
    return scan(body, ParameterRules.NONE);
  }

  /**
   * Scans {@code body}, checking its parameters by the caller's dialect's {@code rules} on the way;
   * a body the gateway cannot use, or a parameter out of type or range, throws {@link
   * GatewayException} (400).
   */
  public static OpenAiRequestScan scan(byte[] body, ParameterRules rules) {
    try (JsonParser parser = JSON.createParser(body)) {
      return scan(parser, rules);
    } catch (IOException e) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_json",
              "We could not parse the JSON body of your request: " + firstLine(e.getMessage()),
              null));
    }
  }

  private static OpenAiRequestScan scan(JsonParser parser, ParameterRules rules)
      throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new GatewayException(
          GatewayError.badRequest("invalid_json", "The request body must be a JSON object.", null));
    }
    int objectStart = offset(parser.currentTokenLocation().getByteOffset());
    String model = null;
    int modelStart = -1;
    int modelEnd = -1;
    boolean stream = false;
    boolean includeUsage = false;
    int optionsKeyStart = -1;
    int optionsStart = -1;
    int optionsEnd = -1;
    int usageValueStart = -1;
    int usageValueEnd = -1;
    boolean optionsIsObject = false;
    boolean optionsEmpty = true;
    Long maxTokens = null;
    Set<String> fields = new HashSet<>();

    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      int keyStart = offset(parser.currentTokenLocation().getByteOffset());
      JsonToken value = parser.nextToken();
      fields.add(name);
      if (!name.equals("stream_options")) {
        rules.check(name, parser); // a rule over an array or object leaves the parser at its end
      }
      switch (name) {
        case "model" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw invalidType("model", "a string");
          }
          modelStart = offset(parser.currentTokenLocation().getByteOffset());
          model = parser.getText();
          modelEnd = offset(parser.currentLocation().getByteOffset());
        }
        case "stream" -> {
          if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
            stream = value == JsonToken.VALUE_TRUE;
          } else if (value != JsonToken.VALUE_NULL) {
            throw invalidType("stream", "a boolean");
          }
        }
        case "stream_options" -> {
          optionsKeyStart = keyStart;
          optionsStart = offset(parser.currentTokenLocation().getByteOffset());
          if (value == JsonToken.START_OBJECT) {
            optionsIsObject = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              optionsEmpty = false;
              String option = parser.currentName();
              JsonToken optionValue = parser.nextToken();
              if (option.equals("include_usage")) {
                usageValueStart = offset(parser.currentTokenLocation().getByteOffset());
                includeUsage = optionValue == JsonToken.VALUE_TRUE;
                parser.finishToken();
                usageValueEnd = offset(parser.currentLocation().getByteOffset());
              } else {
                parser.skipChildren();
              }
            }
          } else if (value != JsonToken.VALUE_NULL) {
            throw invalidType("stream_options", "an object");
          }
          parser.finishToken();
          optionsEnd = offset(parser.currentLocation().getByteOffset());
        }
        case "max_tokens", "max_completion_tokens" -> {
          if (value == JsonToken.VALUE_NUMBER_INT) {
            long requested = parser.getLongValue();
            maxTokens = maxTokens == null ? requested : Math.max(maxTokens, requested);
          } else if (value != JsonToken.VALUE_NULL) {
            throw invalidType(name, "an integer");
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (parser.nextToken() != null) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_json", "Unexpected content after the JSON object.", null));
    }
    if (model == null) {
      throw new GatewayException(rules.missing("model"));
    }
    return new OpenAiRequestScan(
        model,
        modelStart,
        modelEnd,
        stream,
        includeUsage,
        optionsKeyStart,
        optionsStart,
        optionsEnd,
        usageValueStart,
        usageValueEnd,
        optionsIsObject,
        optionsEmpty,
        objectStart,
        maxTokens,
        Set.copyOf(fields));
  }

  private static GatewayException invalidType(String field, String expected) {
    return new GatewayException(
        GatewayError.badRequest(
            "invalid_type", "Invalid type for '" + field + "': expected " + expected + ".", field));
  }

  private static int offset(long byteOffset) {
    return (int) byteOffset;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
