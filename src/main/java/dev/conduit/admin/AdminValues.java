package dev.conduit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Usd;
import java.math.BigDecimal;

/** Reading typed values (money, counts) from admin JSON bodies and query strings. */
final class AdminValues {
  private AdminValues() {}

  /**
   * A dollar amount as nano-dollars; null when absent or null.
   *
   * @param allowNegative whether a negative amount is meaningful (a debit)
   */
  static Long money(JsonNode body, String field, boolean allowNegative) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw AdminJson.bad("'" + field + "' must be a number of US dollars.", field);
    }
    return money(value.decimalValue(), field, allowNegative);
  }

  static long money(BigDecimal dollars, String field, boolean allowNegative) {
    // Digits before the point, in long arithmetic: 1e2147483647 must not overflow the check.
    long wholeDigits = (long) dollars.precision() - dollars.scale();
    if (wholeDigits > 16) {
      throw AdminJson.bad(
          "'" + field + "' must be at most " + Usd.display(Usd.MAX_NANOS) + ".", field);
    }
    if (!allowNegative && dollars.signum() < 0) {
      throw AdminJson.bad("'" + field + "' must not be negative.", field);
    }
    if (dollars.stripTrailingZeros().scale() > 9) {
      throw AdminJson.bad("'" + field + "' has more than 9 decimal places.", field);
    }
    if (dollars.abs().movePointRight(9).compareTo(BigDecimal.valueOf(Usd.MAX_NANOS)) > 0) {
      throw AdminJson.bad(
          "'" + field + "' must be at most " + Usd.display(Usd.MAX_NANOS) + ".", field);
    }
    return Usd.toNanos(dollars);
  }

  /** A whole number of at least 1; null when absent or null. */
  static Long positiveLong(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || value.asLong() < 1 || !value.canConvertToLong()) {
      throw AdminJson.bad("'" + field + "' must be a whole number of at least 1.", field);
    }
    return value.asLong();
  }
}
