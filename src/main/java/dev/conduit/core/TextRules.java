package dev.conduit.core;

/**
 * The rules for text that operators give the gateway (names, labels, notes), shared by the admin
 * API, price imports and the configuration file. Names end up in URL paths, metrics labels, logs
 * and database columns, so they are short and plain; labels and notes may be any printable text but
 * never control or formatting characters (NUL, which PostgreSQL refuses; line breaks, which forge
 * log lines; bidi overrides and zero-width characters, which make one name look like another).
 * docs/api.md, "Input validation", states these rules.
 */
public final class TextRules {
  /** The longest name or label. */
  public static final int MAX_NAME = 128;

  /** The longest note (a description, a reason). */
  public static final int MAX_NOTE = 1024;

  /** The longest other value (a URL, an API key, a path). */
  public static final int MAX_VALUE = 4096;

  /** What a name may hold, for messages. */
  public static final String NAME_RULE =
      "1 to " + MAX_NAME + " characters: ASCII letters, digits and . _ - : / @";

  private TextRules() {}

  /**
   * Why {@code value} is not a name (ASCII letters, digits and {@code . _ - : / @}, 1 to 128
   * characters), or null when it is one.
   */
  public static String nameProblem(String value) {
    if (value.isEmpty() || value.length() > MAX_NAME) {
      return "must be " + NAME_RULE + " (got " + value.length() + " characters)";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isNameChar(c)) {
        return "must be " + NAME_RULE + " (" + describe(value.codePointAt(i)) + " is not allowed)";
      }
    }
    return null;
  }

  private static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '.'
        || c == '_'
        || c == '-'
        || c == ':'
        || c == '/'
        || c == '@';
  }

  /**
   * Why {@code value} is not printable single-line text of 1 to {@code maxLength} characters, or
   * null when it is: letters, marks, digits, punctuation, symbols and spaces of any script; no
   * control or format characters, no line or paragraph separators, no unpaired surrogates, no
   * leading or trailing whitespace.
   */
  public static String textProblem(String value, int maxLength) {
    if (value.isBlank()) {
      return "must not be empty";
    }
    if (value.length() > maxLength) {
      return "must be at most " + maxLength + " characters (got " + value.length() + ")";
    }
    if (Character.isWhitespace(value.codePointAt(0))
        || Character.isWhitespace(value.codePointBefore(value.length()))) {
      return "must not start or end with whitespace";
    }
    String bad = firstUnprintable(value, false);
    return bad == null ? null : "must not contain " + bad;
  }

  /**
   * Why a value inside free-form data (metadata) is unsafe to store and show, or null: like {@link
   * #textProblem} but tabs and line breaks are allowed and length is checked by the caller.
   */
  public static String dataProblem(String value) {
    String bad = firstUnprintable(value, true);
    return bad == null ? null : "must not contain " + bad;
  }

  /** The first character that is not allowed, described, or null. */
  private static String firstUnprintable(String value, boolean allowLineBreaks) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (allowLineBreaks && (c == '\t' || c == '\n' || c == '\r')) {
        i += Character.charCount(c);
        continue;
      }
      switch (Character.getType(c)) {
        case Character.CONTROL,
            Character.FORMAT,
            Character.SURROGATE,
            Character.LINE_SEPARATOR,
            Character.PARAGRAPH_SEPARATOR -> {
          return describe(c);
        }
        default -> i += Character.charCount(c);
      }
    }
    return null;
  }

  /** {@code U+202E} or {@code 'x'}, for messages that never echo a control character. */
  private static String describe(int codePoint) {
    if (codePoint > 0x20 && codePoint < 0x7f) {
      return "'" + (char) codePoint + "'";
    }
    return String.format("U+%04X", codePoint);
  }
}
