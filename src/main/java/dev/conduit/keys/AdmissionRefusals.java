package dev.conduit.keys;

import dev.conduit.core.GatewayError;
import dev.conduit.core.Usd;
import dev.conduit.keys.counters.CounterOps.OverBudget;
import dev.conduit.keys.counters.CounterOps.Window;
import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.KeyGroup;
import dev.conduit.store.KeyLimits;
import java.time.Instant;

/**
 * The errors {@link Admission} answers with: what limit was hit, how much is left, when it resets.
 */
final class AdmissionRefusals {
  private AdmissionRefusals() {}

  static String rateLimitMessage(String name, Window window, long count, long resetInMs) {
    String what =
        switch (name) {
          case "rpm" -> "requests per minute";
          case "rpd" -> "requests per day";
          default -> "tokens per minute";
        };
    String detail =
        name.equals("tpm") && window.amount() > window.limit()
            ? " This request alone (about "
                + window.amount()
                + " prompt tokens) is larger than the "
                + "limit."
            : " Used " + count + " of " + window.limit() + ".";
    return "Rate limit reached for this API key: "
        + window.limit()
        + " "
        + what
        + "."
        + detail
        + " The limit resets in "
        + RateLimitHeaders.duration(resetInMs)
        + " (at "
        + Instant.ofEpochMilli(window.resetsAtMs())
        + ").";
  }

  /**
   * @param outputBound whether the reservation is mostly the answer's output tokens (chat and
   *     completions), so that a lower {@code max_tokens} is worth suggesting
   */
  static GatewayError budgetExceeded(
      KeyLimits limits, Instant now, OverBudget over, long reserve, boolean outputBound) {
    BudgetPeriod period = limits.budgetPeriod();
    Instant resets = period.resetsAt(now);
    long left = limits.maxBudgetNanos() - over.spent() - over.reserved();
    String message =
        "This API key's "
            + (period == BudgetPeriod.TOTAL ? "" : period.wireName() + " ")
            + "budget of "
            + Usd.display(limits.maxBudgetNanos())
            + " cannot cover this "
            + "request: "
            + Usd.display(over.spent())
            + " spent"
            + (over.reserved() > 0
                ? ", " + Usd.display(over.reserved()) + " held by requests in progress"
                : "")
            + ", "
            + Usd.display(Math.max(0, left))
            + " left, and this request may cost up to "
            + Usd.display(reserve)
            + (outputBound ? " (a lower max_tokens lowers that). " : ". ")
            + (resets == null
                ? "The budget does not reset; the key's administrator can raise it."
                : "The budget resets at " + resets + ".");
    return new GatewayError(402, "insufficient_quota", "budget_exceeded", message, null);
  }

  static GatewayError balanceExhausted(KeyGroup group, OverBudget over, long reserve) {
    long balance = group.creditsNanos() - over.spent() - over.reserved();
    String message =
        "The balance of key group '"
            + group.name()
            + "' cannot cover this "
            + "request: "
            + Usd.display(Math.max(0, balance))
            + " left"
            + (over.reserved() > 0
                ? " after " + Usd.display(over.reserved()) + " held by requests in progress"
                : "")
            + ", and this request may cost up to "
            + Usd.display(reserve)
            + ". A prepaid balance "
            + "does not reset: the group's administrator must top it up.";
    return new GatewayError(402, "insufficient_quota", "balance_exhausted", message, null);
  }
}
