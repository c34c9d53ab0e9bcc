package dev.conduit.core;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * The tokenizer for counting usage (when a provider reports none) and the simulated provider:
 * OpenAI's o200k_base (jtokkit). Its tables take about 30 MB of heap, so these share one copy.
 * Budget reservations use their own cl100k encoding (see {@code PromptTokenEstimator}).
 */
public final class Tokenizer {
  private Tokenizer() {}

  /** Tokens of {@code text} as plain text (special tokens are not recognised). */
  public static long count(String text) {
    return text.isEmpty() ? 0 : Loaded.ENCODING.countTokensOrdinary(text);
  }

  /**
   * Loads the tables (about a second of work) so the first count on an event loop does not pay for
   * it. Call from a worker thread at start.
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
