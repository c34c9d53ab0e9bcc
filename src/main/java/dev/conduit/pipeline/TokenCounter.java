package dev.conduit.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.conduit.core.Tokenizer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Counts tokens when a provider reports none (a stream the caller abandoned, an upstream that does
 * not send usage). An estimate: the o200k tokenizer for every model, and the prompt's text without
 * the per-message overhead each provider adds. Used off the common path only: providers that report
 * usage are never re-counted.
 */
public final class TokenCounter {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxDocumentLength(-1)
                  .build())
          .build();

  /** Fields whose values are not prompt text (ids, names of roles, inline image bytes). */
  private static final Set<String> NOT_TEXT =
      Set.of(
          "model",
          "role",
          "type",
          "id",
          "tool_call_id",
          "tool_use_id",
          "url",
          "data",
          "media_type",
          "detail",
          "signature",
          "finish_reason",
          "stop_reason",
          "object",
          "cache_control");

  /** Fields whose string values are output, in OpenAI chunks and Anthropic events. */
  private static final byte[][] ANSWER_KEYS =
      Stream.of(
              "content",
              "arguments",
              "text",
              "partial_json",
              "thinking",
              "reasoning_content",
              "refusal")
          .map(key -> key.getBytes(StandardCharsets.US_ASCII))
          .toArray(byte[][]::new);

  private TokenCounter() {}

  public static long count(CharSequence text) {
    return Tokenizer.count(text.toString());
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
        } else if (token == JsonToken.VALUE_STRING
            && (field == null || !NOT_TEXT.contains(field))) {
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

  /**
   * Appends the answer text of one stream event (OpenAI or Anthropic) as it passes, in a single
   * scan of its bytes: the string values of the fields that carry output ({@code content}, {@code
   * arguments}, {@code text}, {@code partial_json}, {@code thinking}, ...), left JSON-escaped.
   * Cheap enough for every event of the pass-through fast path; the text is only tokenized if the
   * stream ends without the upstream's usage.
   */
  public static void appendAnswerText(Buffer event, StringBuilder out) {
    byte[] bytes = event.getBytes(); // one copy: array reads are far cheaper than Buffer reads
    int length = bytes.length;
    for (int colon = 0; colon < length; colon++) {
      if (bytes[colon] != ':') {
        continue;
      }
      int valueStart = colon + 1;
      while (valueStart < length && bytes[valueStart] == ' ') {
        valueStart++;
      }
      int keyEnd = colon - 1;
      while (keyEnd > 0 && bytes[keyEnd] == ' ') {
        keyEnd--;
      }
      if (valueStart >= length
          || bytes[valueStart] != '"'
          || keyEnd <= 0
          || bytes[keyEnd] != '"'
          || !isAnswerKey(bytes, keyEnd)) {
        continue;
      }
      int valueEnd = valueStart + 1;
      while (valueEnd < length && bytes[valueEnd] != '"') {
        valueEnd += bytes[valueEnd] == '\\' ? 2 : 1;
      }
      if (valueEnd > length) {
        return;
      }
      out.append(
          new String(bytes, valueStart + 1, valueEnd - valueStart - 1, StandardCharsets.UTF_8));
      colon = valueEnd;
    }
  }

  /** Whether the key whose closing quote is at {@code keyEnd} is one that carries output. */
  private static boolean isAnswerKey(byte[] bytes, int keyEnd) {
    for (byte[] key : ANSWER_KEYS) {
      int start = keyEnd - key.length - 1;
      if (start < 0 || bytes[start] != '"' || (start > 0 && bytes[start - 1] == '\\')) {
        continue;
      }
      if (java.util.Arrays.equals(bytes, start + 1, keyEnd, key, 0, key.length)) {
        return true;
      }
    }
    return false;
  }
}
