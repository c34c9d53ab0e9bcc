package dev.conduit.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.util.Set;

/**
 * Counts tokens when a provider reports none (a stream the caller abandoned, an upstream that does
 * not send usage). An estimate: the o200k tokenizer for every model, and the prompt's text without
 * the per-message overhead each provider adds. Used off the common path only: providers that
 * report usage are never re-counted.
 */
public final class TokenCounter {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE).maxDocumentLength(-1).build())
      .build();
  /** Fields whose values are not prompt text (ids, names of roles, inline image bytes). */
  private static final Set<String> NOT_TEXT = Set.of("model", "role", "type", "id",
      "tool_call_id", "tool_use_id", "url", "data", "media_type", "detail", "signature",
      "finish_reason", "stop_reason", "object", "cache_control");

  private TokenCounter() {}

  /**
   * Loads the tokenizer's tables (about a second of work) so the first count on an event loop
   * does not pay for it. Call from a worker thread at start.
   */
  public static void preload() {
    count("warm");
  }

  public static long count(CharSequence text) {
    return text.length() == 0 ? 0 : Tokenizer.ENCODING.countTokensOrdinary(text.toString());
  }

  /** Tokens of the text in a JSON request body (messages, system, tools), either protocol. */
  public static long countPrompt(byte[] body) {
    StringBuilder text = new StringBuilder();
    try (JsonParser parser = JSON.createParser(body)) {
      String field = null;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
        } else if (token == JsonToken.VALUE_STRING && (field == null || !NOT_TEXT.contains(field))) {
          text.append(parser.getText()).append('\n');
        }
      }
    } catch (IOException e) {
      // A body that got this far was valid JSON; count what was read.
    }
    return count(text);
  }

  /**
   * Appends the values of the named string fields of a JSON document (a stream event's data), so
   * the text produced so far can be counted if the stream is abandoned.
   */
  public static void appendFields(String json, Set<String> fields, StringBuilder out) {
    try (JsonParser parser = JSON.createParser(json)) {
      String field = null;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
        } else if (token == JsonToken.VALUE_STRING && field != null && fields.contains(field)) {
          out.append(parser.getText());
        }
      }
    } catch (IOException e) {
      // Not JSON: nothing to count; the stream's own checks report it.
    }
  }

  /** The tokenizer, loaded on first use (its tables take a moment to read). */
  private static final class Tokenizer {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }
}
