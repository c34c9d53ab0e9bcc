package dev.conduit.provider.gemini;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Tool-call ids between Gemini and callers. Gemini usually gives its {@code functionCall}s no id,
 * and may attach a {@code thoughtSignature} that must go back with the call in the next turn
 * (https://ai.google.dev/gemini-api/docs/thought-signatures). Callers only echo ids, so both ride
 * in the id the caller sees:
 *
 * <ul>
 *   <li>Gemini's own id when it gave one, else a synthesised {@code call_<response id>_<n>} (unique
 *       in a conversation, and stable for a given response);
 *   <li>then, when there is a signature, {@value #SIGNATURE_MARK} and the signature in URL-safe
 *       base64, so the id keeps to letters, digits, '_' and '-' like other providers' ids.
 * </ul>
 *
 * <p>Read back, a synthesised id is not sent to Gemini (it matches calls by name and order); an id
 * of Gemini's (or of another provider's, from a mixed conversation) is.
 */
public final class GeminiToolCallIds {
  static final String SIGNATURE_MARK = "__ts__";
  private static final Pattern SYNTHESISED = Pattern.compile("call_[A-Za-z0-9]*_\\d+");

  private GeminiToolCallIds() {}

  /**
   * The id a caller sees for a function call.
   *
   * @param geminiId Gemini's id for it; null or empty when it gave none
   * @param responseId the response's id (for synthesised ids); may be null (a random key is used)
   * @param index the call's position among the response's tool calls
   * @param signature its {@code thoughtSignature} (standard base64); may be null
   */
  public static String toCaller(String geminiId, String responseId, int index, String signature) {
    String id =
        geminiId != null && !geminiId.isEmpty()
            ? geminiId
            : "call_" + responseKey(responseId) + "_" + index;
    if (signature == null || signature.isEmpty()) {
      return id;
    }
    String urlSafe = signature.replace('+', '-').replace('/', '_').replace("=", "");
    return id + SIGNATURE_MARK + urlSafe;
  }

  /** What a caller's tool-call id carries for Gemini. */
  public static Parsed fromCaller(String callerId) {
    if (callerId == null) {
      return new Parsed(null, null);
    }
    String id = callerId;
    String signature = null;
    int mark = callerId.indexOf(SIGNATURE_MARK);
    if (mark >= 0) {
      id = callerId.substring(0, mark);
      String urlSafe = callerId.substring(mark + SIGNATURE_MARK.length());
      StringBuilder standard = new StringBuilder(urlSafe.replace('-', '+').replace('_', '/'));
      while (standard.length() % 4 != 0) {
        standard.append('=');
      }
      signature = standard.toString();
    }
    boolean synthesised = SYNTHESISED.matcher(id).matches();
    return new Parsed(synthesised || id.isEmpty() ? null : id, signature);
  }

  /** The response id's letters and digits; a random key when there is none. */
  private static String responseKey(String responseId) {
    String key = lettersAndDigits(responseId);
    if (!key.isEmpty()) {
      return key;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder out = new StringBuilder(16);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < 16; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static String lettersAndDigits(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A caller's tool-call id read back.
   *
   * @param geminiId the id to send to Gemini; null when the gateway made it up
   * @param signature the thought signature to send with the call (standard base64); may be null
   */
  public record Parsed(String geminiId, String signature) {}
}
