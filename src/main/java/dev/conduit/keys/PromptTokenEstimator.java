package dev.conduit.keys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;

/**
 * Counts the prompt tokens of a request body, generously, before it is sent: the basis of a budget
 * reservation and of the tokens-per-minute estimate. Every string value of the JSON body is counted
 * with OpenAI's cl100k tokenizer (jtokkit), plus a few tokens per object for message framing;
 * images (data URLs and base64 blobs) count a fixed allowance instead of their bytes. Works for
 * OpenAI- and Anthropic-shaped bodies alike. The result is multiplied by a margin for providers
 * whose tokenizers count more.
 *
 * <p>CPU-bound: large bodies should be counted on a worker thread.
 */
public final class PromptTokenEstimator {
  /** Bodies above this many bytes are counted off the event loop. */
  public static final int INLINE_LIMIT_BYTES = 16 * 1024;

  /** Tokens charged per image: above what a high-detail image costs on common models. */
  static final long IMAGE_TOKENS = 1_600;

  private static final int TOKENS_PER_OBJECT = 4;
  private static final int BASE64_MIN_LENGTH = 512;
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxDocumentLength(-1)
                  .build())
          .build();

  // Its own cl100k encoding (not the o200k one usage counting shares): cl100k counts a little
  // more for the same text, and budgets rely on reservations never falling short.
  private final Encoding encoding =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  private final double margin;

  /**
   * @param margin factor applied to the count (1.0 or more)
   */
  public PromptTokenEstimator(double margin) {
    this.margin = margin;
  }

  /** The estimated prompt tokens of a JSON request body; a body that is not JSON counts 0. */
  public long estimate(byte[] body) {
    long tokens = 0;
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT) {
          tokens += TOKENS_PER_OBJECT;
        } else if (token == JsonToken.VALUE_STRING) {
          String text = parser.getText();
          tokens += isImageData(text) ? IMAGE_TOKENS : encoding.countTokensOrdinary(text);
        } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          tokens += 1;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return (long) Math.ceil(tokens * margin);
  }

  private static boolean isImageData(String text) {
    if (text.startsWith("data:") && text.contains(";base64,")) {
      return true;
    }
    if (text.length() < BASE64_MIN_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean base64 =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '='
              || c == '\n'
              || c == '\r';
      if (!base64) {
        return false;
      }
    }
    return true;
  }
}
