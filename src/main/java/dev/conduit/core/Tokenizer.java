package dev.conduit.core;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * The one tokenizer every count uses: OpenAI's o200k_base (jtokkit). Its tables take about 30 MB
 * of heap, so the gateway holds a single copy (it once held two encodings, for about 45 MB).
 */
public final class Tokenizer {
  private Tokenizer() {}

  /** Tokens of {@code text} as plain text (special tokens are not recognised). */
  public static long count(String text) {
    return text.isEmpty() ? 0 : Loaded.ENCODING.countTokensOrdinary(text);
  }

  /**
   * Loads the tables (about a second of work) so the first count on an event loop does not pay
   * for it. Call from a worker thread at start.
   */
  public static void preload() {
    count("warm");
  }

  /** Loaded on first use. */
  private static final class Loaded {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }
}
