package dev.conduit.core;

import java.util.Locale;

/**
 * What a non-token call consumed, in the unit its price is stated in: images generated, seconds of
 * audio, characters of text, or rerank search units. Token calls have none (their {@link Usage}
 * prices them); a call may have both (a token-priced image model).
 *
 * @param kind the unit
 * @param amount how many; fractional for audio seconds
 */
public record Units(UnitKind kind, double amount) {

  /** The units calls are priced in besides tokens; each has the name stored in the request log. */
  public enum UnitKind {
    /** Images generated or edited (priced per image, by size and quality). */
    IMAGES("images"),
    /** Seconds of audio transcribed, translated or spoken. */
    AUDIO_SECONDS("audio_seconds"),
    /** Characters of text (speech input; priced per million). */
    CHARACTERS("characters"),
    /** Rerank search units (Cohere: one query with up to 100 documents). */
    SEARCH_UNITS("search_units");

    private final String dbName;

    UnitKind(String dbName) {
      this.dbName = dbName;
    }

    /** The name in {@code request_logs.unit_kind}. */
    public String dbName() {
      return dbName;
    }

    /** The kind stored as {@code name}; null for null. */
    public static UnitKind fromDbName(String name) {
      if (name == null) {
        return null;
      }
      for (UnitKind kind : values()) {
        if (kind.dbName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("Unknown unit kind '" + name + "'");
    }
  }

  public Units {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("amount must be a finite number >= 0, not " + amount);
    }
  }

  public static Units images(long count) {
    return new Units(UnitKind.IMAGES, count);
  }

  public static Units audioSeconds(double seconds) {
    return new Units(UnitKind.AUDIO_SECONDS, seconds);
  }

  public static Units characters(long count) {
    return new Units(UnitKind.CHARACTERS, count);
  }

  public static Units searchUnits(long count) {
    return new Units(UnitKind.SEARCH_UNITS, count);
  }

  /** The units of a request log row; null when the row has none. */
  public static Units fromDb(String kind, Double amount) {
    return kind == null || amount == null ? null : new Units(UnitKind.fromDbName(kind), amount);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s", amount, kind.dbName);
  }
}
