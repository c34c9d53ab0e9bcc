package dev.conduit.store;

import dev.conduit.core.Cidr;
import java.util.List;

/**
 * What a virtual key may spend and how fast; every part is optional (null or empty: no limit).
 *
 * @param maxBudgetNanos spend allowed per {@code budgetPeriod}, in nano-dollars
 * @param budgetPeriod when the budget starts again; {@link BudgetPeriod#TOTAL} when a budget is set
 *     without one
 * @param rpm requests per UTC minute
 * @param rpd requests per UTC day
 * @param tpm tokens (prompt and completion) per UTC minute
 * @param groupId the key group whose prepaid balance this key's spend draws on
 * @param ipAllowlist the only addresses this key may be used from
 */
public record KeyLimits(
    Long maxBudgetNanos,
    BudgetPeriod budgetPeriod,
    Long rpm,
    Long rpd,
    Long tpm,
    String groupId,
    List<Cidr> ipAllowlist) {

  public static final KeyLimits NONE = new KeyLimits(null, null, null, null, null, null, null);

  public KeyLimits {
    ipAllowlist = ipAllowlist == null ? List.of() : List.copyOf(ipAllowlist);
    if (maxBudgetNanos != null && budgetPeriod == null) {
      budgetPeriod = BudgetPeriod.TOTAL;
    }
  }

  public boolean hasBudget() {
    return maxBudgetNanos != null;
  }

  public boolean hasRateLimits() {
    return rpm != null || rpd != null || tpm != null;
  }

  /** Whether a request by this key needs any counting before it is let through. */
  public boolean needsCounters() {
    return hasBudget() || groupId != null || hasRateLimits();
  }

  /** Whether a request from {@code address} is allowed: always when the list is empty. */
  public boolean allowsAddress(String address) {
    if (ipAllowlist.isEmpty()) {
      return true;
    }
    byte[] bytes = Cidr.addressBytes(address);
    if (bytes == null) {
      return false;
    }
    for (Cidr cidr : ipAllowlist) {
      if (cidr.contains(bytes)) {
        return true;
      }
    }
    return false;
  }
}
