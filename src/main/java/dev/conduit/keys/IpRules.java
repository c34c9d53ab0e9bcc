package dev.conduit.keys;

import dev.conduit.core.Cidr;
import dev.conduit.store.IpFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The global IP filters in memory. The most specific block that contains the caller's address
 * decides (so {@code deny 10.0.0.0/8} with {@code allow 10.1.0.0/16} lets 10.1.x.x in); at equal
 * specificity deny wins. An address no rule covers is allowed, unless there are allow rules: then
 * only what they cover gets in. A caller whose address is not known (a trusted proxy forwarded
 * something that is not an address) is refused whenever there is any rule.
 */
public final class IpRules {
  private volatile List<IpFilter> mostSpecificFirst = List.of();
  private volatile boolean anyAllow;

  public void replaceAll(Collection<IpFilter> filters) {
    List<IpFilter> sorted = new ArrayList<>(filters);
    sorted.sort(
        Comparator.comparingInt((IpFilter filter) -> filter.cidr().prefixLength())
            .reversed()
            .thenComparing(IpFilter::allow));
    mostSpecificFirst = List.copyOf(sorted);
    anyAllow = sorted.stream().anyMatch(IpFilter::allow);
  }

  /** Whether a caller at {@code address} may use the gateway. */
  public boolean allows(String address) {
    List<IpFilter> filters = mostSpecificFirst;
    if (filters.isEmpty()) {
      return true;
    }
    byte[] bytes = Cidr.addressBytes(address);
    if (bytes == null) {
      return false;
    }
    for (IpFilter filter : filters) {
      if (filter.cidr().contains(bytes)) {
        return filter.allow();
      }
    }
    return !anyAllow;
  }

  public List<IpFilter> all() {
    return mostSpecificFirst;
  }
}
