package dev.conduit.store;

import dev.conduit.core.Cidr;
import java.time.Instant;

/**
 * A gateway-wide rule on callers' addresses.
 *
 * @param id stable identifier
 * @param cidr the block it applies to (IPv4 or IPv6)
 * @param allow true to allow, false to deny
 * @param description free text
 * @param createdAt creation time
 * @param updatedAt change stamp, epoch milliseconds
 */
public record IpFilter(
    String id, Cidr cidr, boolean allow, String description, Instant createdAt, long updatedAt) {

  public String action() {
    return allow ? "allow" : "deny";
  }
}
