package dev.conduit.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.core.TextRules;
import dev.conduit.core.Usd;
import dev.conduit.store.ModelPrice;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A price as an administrator (or a file) states it: dollars per million tokens, validated. Shared
 * by the admin API, JSON and CSV import, and the shipped seed list.
 *
 * @param provider provider name or type
 * @param model provider model name
 * @param inputPerMillion USD per million prompt tokens
 * @param outputPerMillion USD per million completion tokens
 * @param cachedInputPerMillion USD per million cached prompt tokens; null: input price
 * @param cacheWritePerMillion USD per million prompt tokens written to cache; null: input price
 * @param perRequest USD per successful request; null for none
 * @param perImage USD per generated image; null for none
 * @param maxOutputTokens the model's output limit; null when unknown
 * @param perImageVariant USD per image by variant ({@code SIZE/QUALITY} or {@code SIZE}, such as
 *     {@code 1024x1024/hd}), overriding {@code perImage}; empty for none
 * @param perAudioSecond USD per second of audio; null for none
 * @param perMillionCharacters USD per million characters; null for none
 * @param perSearchUnit USD per rerank search unit; null for none
 */
public record PriceInput(
    String provider,
    String model,
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal cachedInputPerMillion,
    BigDecimal cacheWritePerMillion,
    BigDecimal perRequest,
    BigDecimal perImage,
    Long maxOutputTokens,
    Map<String, BigDecimal> perImageVariant,
    BigDecimal perAudioSecond,
    BigDecimal perMillionCharacters,
    BigDecimal perSearchUnit) {

  public PriceInput {
    perImageVariant = perImageVariant == null ? Map.of() : Map.copyOf(perImageVariant);
  }

  /** A token price (and per request or per image), without the other unit prices. */
  public PriceInput(
      String provider,
      String model,
      BigDecimal inputPerMillion,
      BigDecimal outputPerMillion,
      BigDecimal cachedInputPerMillion,
      BigDecimal cacheWritePerMillion,
      BigDecimal perRequest,
      BigDecimal perImage,
      Long maxOutputTokens) {
    this(
        provider,
        model,
        inputPerMillion,
        outputPerMillion,
        cachedInputPerMillion,
        cacheWritePerMillion,
        perRequest,
        perImage,
        maxOutputTokens,
        Map.of(),
        null,
        null,
        null);
  }

  /** JSON field names, in CSV column order. */
  public static final List<String> FIELDS =
      List.of(
          "provider",
          "model",
          "inputPerMillion",
          "outputPerMillion",
          "cachedInputPerMillion",
          "cacheWritePerMillion",
          "perRequest",
          "perImage",
          "maxOutputTokens",
          "perImageVariant",
          "perAudioSecond",
          "perMillionCharacters",
          "perSearchUnit");

  private static final String VARIANTS = "perImageVariant";

  /** {@code SIZE} or {@code SIZE/QUALITY}: {@code 1024x1024}, {@code auto/high}, lower case. */
  private static final java.util.regex.Pattern IMAGE_VARIANT =
      java.util.regex.Pattern.compile("[a-z0-9]{1,20}(/[a-z0-9_-]{1,20})?");

  /** A price with invalid or missing values; the message names the field. */
  public static final class Invalid extends RuntimeException {
    private final String field;

    public Invalid(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** Reads a JSON object; {@code where} prefixes error messages (e.g. {@code prices[3]}). */
  public static PriceInput fromJson(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new Invalid(null, where + " must be a JSON object.");
    }
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!FIELDS.contains(name)
                  && !List.of("id", "source", "asOf", "updatedAt").contains(name)) {
                throw new Invalid(
                    name,
                    where
                        + ": unknown field '"
                        + name
                        + "' (allowed: "
                        + String.join(", ", FIELDS)
                        + ").");
              }
            });
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : FIELDS) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      if (field.equals(VARIANTS)) {
        if (!value.isObject()) {
          throw new Invalid(
              field,
              where
                  + ": '"
                  + field
                  + "' must be an object of USD per image by variant, such as "
                  + "{\"1024x1024/hd\": 0.08, \"1024x1024\": 0.04}.");
        }
        values.put(field, value.toString());
        continue;
      }
      boolean text = field.equals("provider") || field.equals("model");
      if (text ? !value.isTextual() : !value.isNumber()) {
        throw new Invalid(
            field, where + ": '" + field + "' must be a " + (text ? "string." : "number."));
      }
      values.put(field, value.asText());
    }
    return fromStrings(values, where);
  }

  /** Reads field values given as text (a CSV row, or JSON values as text). */
  public static PriceInput fromStrings(Map<String, String> values, String where) {
    return new PriceInput(
        text(values, "provider", where),
        text(values, "model", where),
        money(values, "inputPerMillion", where, true),
        money(values, "outputPerMillion", where, true),
        money(values, "cachedInputPerMillion", where, false),
        money(values, "cacheWritePerMillion", where, false),
        money(values, "perRequest", where, false),
        money(values, "perImage", where, false),
        tokens(values, "maxOutputTokens", where),
        variants(values.get(VARIANTS), where),
        money(values, "perAudioSecond", where, false),
        money(values, "perMillionCharacters", where, false),
        money(values, "perSearchUnit", where, false));
  }

  /** The stored form. */
  public ModelPrice toPrice(String id, String source, String asOf, long updatedAt) {
    return new ModelPrice(
        id,
        provider,
        model,
        Usd.toNanos(inputPerMillion),
        Usd.toNanos(outputPerMillion),
        nanos(cachedInputPerMillion),
        nanos(cacheWritePerMillion),
        nanos(perRequest),
        nanos(perImage),
        variantNanos(),
        nanos(perAudioSecond),
        nanos(perMillionCharacters),
        nanos(perSearchUnit),
        maxOutputTokens,
        source,
        asOf,
        updatedAt);
  }

  /** The values of a stored price, as CSV cells in {@link #FIELDS} order (empty for none). */
  public static List<String> cells(ModelPrice price) {
    return List.of(
        price.provider(),
        price.model(),
        dollars(price.inputNanosPerMTok()),
        dollars(price.outputNanosPerMTok()),
        dollars(price.cachedInputNanosPerMTok()),
        dollars(price.cacheWriteNanosPerMTok()),
        dollars(price.perRequestNanos()),
        dollars(price.perImageNanos()),
        price.maxOutputTokens() == null ? "" : price.maxOutputTokens().toString(),
        variantCell(price.perImageVariantNanos()),
        dollars(price.perAudioSecondNanos()),
        dollars(price.perMCharNanos()),
        dollars(price.perSearchUnitNanos()));
  }

  /** Variant prices in dollars, by variant; empty for none. */
  public static Map<String, BigDecimal> variantDollars(Map<String, Long> nanos) {
    Map<String, BigDecimal> dollars = new TreeMap<>();
    nanos.forEach((variant, amount) -> dollars.put(variant, Usd.toDollars(amount)));
    return dollars;
  }

  private static String variantCell(Map<String, Long> nanos) {
    if (nanos.isEmpty()) {
      return "";
    }
    ObjectNode node = Json.MAPPER.createObjectNode();
    variantDollars(nanos).forEach(node::put);
    return node.toString();
  }

  private Map<String, Long> variantNanos() {
    Map<String, Long> nanos = new TreeMap<>();
    perImageVariant.forEach((variant, dollars) -> nanos.put(variant, Usd.toNanos(dollars)));
    return nanos;
  }

  /** Reads the variant prices from JSON text (a CSV cell, or the JSON object as text). */
  private static Map<String, BigDecimal> variants(String json, String where) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new Invalid(
          VARIANTS, where + ": '" + VARIANTS + "' must be a JSON object of USD per image.");
    }
    Map<String, BigDecimal> variants = new LinkedHashMap<>();
    var fields = node.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      String variant = field.getKey().trim().toLowerCase(java.util.Locale.ROOT);
      if (!IMAGE_VARIANT.matcher(variant).matches()) {
        throw new Invalid(
            VARIANTS,
            where
                + ": '"
                + VARIANTS
                + "' has variant '"
                + field.getKey()
                + "'; use SIZE/QUALITY (1024x1024/hd) or SIZE (1024x1024).");
      }
      if (!field.getValue().isNumber() && !field.getValue().isTextual()) {
        throw new Invalid(
            VARIANTS, where + ": '" + VARIANTS + "." + variant + "' must be a number.");
      }
      variants.put(
          variant, money(Map.of(VARIANTS, field.getValue().asText()), VARIANTS, where, true));
    }
    return variants;
  }

  private static String dollars(Long nanos) {
    return nanos == null ? "" : Usd.toDollars(nanos).toPlainString();
  }

  private static Long nanos(BigDecimal dollars) {
    return dollars == null ? null : Usd.toNanos(dollars);
  }

  private static String text(Map<String, String> values, String field, String where) {
    String value = values.get(field);
    if (value == null || value.isBlank()) {
      throw new Invalid(field, where + ": '" + field + "' is required.");
    }
    // Upstream model names are the provider's choice: any printable text, not only name characters.
    String problem = TextRules.textProblem(value.trim(), TextRules.MAX_NAME);
    if (problem != null) {
      throw new Invalid(field, where + ": '" + field + "' " + problem + ".");
    }
    return value.trim();
  }

  private static BigDecimal money(
      Map<String, String> values, String field, String where, boolean required) {
    String value = values.get(field);
    if (value == null || value.isBlank()) {
      if (required) {
        throw new Invalid(field, where + ": '" + field + "' is required.");
      }
      return null;
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw new Invalid(field, where + ": '" + field + "' must be a number.");
    }
    if (amount.signum() < 0) {
      throw new Invalid(field, where + ": '" + field + "' must not be negative.");
    }
    if (amount.stripTrailingZeros().scale() > 9) {
      throw new Invalid(field, where + ": '" + field + "' has more than 9 decimal places.");
    }
    if (amount.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
      throw new Invalid(field, where + ": '" + field + "' is implausibly large (over $1,000,000).");
    }
    return amount;
  }

  private static Long tokens(Map<String, String> values, String field, String where) {
    String value = values.get(field);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long tokens = Long.parseLong(value.trim());
      if (tokens < 0) {
        throw new NumberFormatException();
      }
      return tokens;
    } catch (NumberFormatException e) {
      throw new Invalid(
          field,
          where
              + ": '"
              + field
              + "' must be a whole number of tokens (0 for a model without output).");
    }
  }
}
