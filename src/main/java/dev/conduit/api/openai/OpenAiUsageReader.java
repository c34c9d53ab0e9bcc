package dev.conduit.api.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.FinishReason;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.provider.openai.OpenAiResponseConverter;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code usage} from OpenAI-format responses and stream chunks without building a tree of the
 * whole document: other top-level values are skipped.
 */
public final class OpenAiUsageReader {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final String USAGE_KEY = "\"usage\"";

  private OpenAiUsageReader() {}

  /**
   * Usage of a complete response body; {@link Usage#NONE} when it has none.
   *
   * @throws IOException when the body is not a JSON object
   */
  public static Usage fromBody(byte[] body) throws IOException {
    return read(body).usage();
  }

  /**
   * What a complete response body says of itself, read in one pass of the parser: its usage and how
   * its answer ended.
   *
   * @throws IOException when the body is not a JSON object
   */
  public static BodyFacts read(byte[] body) throws IOException {
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("response is not a JSON object");
      }
      Usage usage = Usage.NONE;
      FinishReason finish = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("usage") && value == JsonToken.START_OBJECT) {
          usage = fromNode(JSON.readTree(parser));
        } else if (name.equals("choices") && value == JsonToken.START_ARRAY) {
          finish = finishOfChoices(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new IOException("unexpected content after the JSON object");
      }
      return new BodyFacts(usage, finish);
    }
  }

  /**
   * Reads a {@code choices} array (the parser on its start) down to its end: the finish reason that
   * speaks for all of them. Null when there is no choice or one has none; {@code LENGTH} when any
   * was cut at the output limit; else the first choice's.
   */
  private static FinishReason finishOfChoices(JsonParser parser) throws IOException {
    FinishReason finish = null;
    boolean unknown = false;
    boolean any = false;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      any = true;
      FinishReason choice = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("finish_reason") && value == JsonToken.VALUE_STRING) {
          choice = OpenAiResponseConverter.finishReason(parser.getText());
        } else {
          parser.skipChildren();
        }
      }
      if (choice == null) {
        unknown = true;
      } else if (finish == null || choice == FinishReason.LENGTH) {
        finish = choice;
      }
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      // Not an array of objects: relayed as it is, but it says nothing of how the answer ended.
      for (JsonToken token = parser.currentToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) {
          throw new IOException("the body ends inside 'choices'");
        }
        parser.skipChildren();
      }
      return null;
    }
    return !any || unknown ? null : finish;
  }

  /**
   * @param usage the body's usage; {@link Usage#NONE} when it has none
   * @param finish why its answer ended, over all its choices; null when it does not say
   */
  public record BodyFacts(Usage usage, FinishReason finish) {}

  /**
   * Whether a stream chunk's bytes may carry a non-null usage object. A cheap byte test run on
   * every chunk; only chunks that pass are parsed.
   */
  public static boolean mayCarryUsage(Buffer event) {
    // Searched as a Latin-1 string: String.indexOf is an intrinsic, while Buffer.getByte costs a
    // bounds check and two calls per byte (SseStreamBenchmark.passthroughStream: 2.4-4.4 us per
    // event with the byte loop).
    String text = event.toString(StandardCharsets.ISO_8859_1);
    for (int at = text.indexOf(USAGE_KEY); at >= 0; at = text.indexOf(USAGE_KEY, at + 1)) {
      int k = at + USAGE_KEY.length();
      while (k < text.length() && (text.charAt(k) == ' ' || text.charAt(k) == ':')) {
        k++;
      }
      if (k < text.length() && text.charAt(k) == '{') {
        return true;
      }
    }
    return false;
  }

  /** Usage from a parsed OpenAI {@code usage} object. */
  public static Usage fromNode(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    long input = usage.path("prompt_tokens").asLong(0);
    long output = usage.path("completion_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    return new Usage(input, output, cached, 0);
  }
}
