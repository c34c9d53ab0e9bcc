package dev.conduit.core;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money in whole nano-dollars (10^-9 USD) held in a {@code long}: exact sums in memory, in SQL and
 * in Redis, and fine enough that a few tokens of a cheap model still cost something. The API shows
 * decimal dollars.
 */
public final class Usd {
  /** Nanos in one dollar. */
  public static final long ONE = 1_000_000_000L;

  /**
   * The largest amount a limit may hold: counters in Redis scripts are compared as doubles, which
   * are exact up to 2^53 nanos (about 9 million dollars).
   */
  public static final long MAX_NANOS = 1L << 53;

  private Usd() {}

  /** Dollars to nanos; more than 9 decimal places is an error. */
  public static long toNanos(BigDecimal dollars) {
    return dollars.movePointRight(9).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
  }

  /**
   * Exact dollars, without trailing zeros and never in exponent notation ({@code 10}, not 1E+1).
   */
  public static BigDecimal toDollars(long nanos) {
    BigDecimal dollars = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
    return dollars.scale() < 0 ? dollars.setScale(0) : dollars;
  }

  /** Plain decimal text such as {@code 0.00004125}; {@code 0} for nothing. */
  public static String format(long nanos) {
    return nanos == 0 ? "0" : toDollars(nanos).toPlainString();
  }

  /** For messages: {@code $1.23}, or more decimals when cents would hide the amount. */
  public static String display(long nanos) {
    BigDecimal dollars = BigDecimal.valueOf(nanos, 9);
    BigDecimal cents = dollars.setScale(2, RoundingMode.HALF_UP);
    if (nanos == 0 || cents.compareTo(BigDecimal.ZERO) != 0 && nanos >= ONE / 100) {
      return "$" + cents.toPlainString();
    }
    return "$" + dollars.stripTrailingZeros().toPlainString();
  }

  /**
   * {@code tokens * nanosPerMillion / 1,000,000} without overflow for any realistic request,
   * rounded half up to a whole nano.
   */
  public static long perMillion(long tokens, long nanosPerMillion) {
    if (tokens <= 0 || nanosPerMillion <= 0) {
      return 0;
    }
    long whole = nanosPerMillion / 1_000_000 * tokens;
    long fraction = nanosPerMillion % 1_000_000 * tokens;
    return Math.addExact(whole, (fraction + 500_000) / 1_000_000);
  }
}
