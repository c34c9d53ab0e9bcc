package dev.conduit.api;

import dev.conduit.core.Cidr;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * The caller's IP address, for IP allowlists and filters: the connection's peer, or, when the peer
 * is a trusted proxy ({@code server.trustedProxies}), the right-most address in {@code
 * X-Forwarded-For} that is not itself a trusted proxy (addresses further left can be forged by the
 * caller).
 */
public final class ClientAddress {
  private final List<Cidr> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(Cidr::of).toList();
  }

  public String of(HttpServerRequest request) {
    SocketAddress peer = request.remoteAddress();
    String address = peer == null || peer.hostAddress() == null ? "" : peer.hostAddress();
    if (trustedProxies.isEmpty() || !trusted(address)) {
      return address;
    }
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null || forwarded.isBlank()) {
      return address;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (Cidr.addressBytes(hop) == null) {
        return address;
      }
      if (!trusted(hop) || i == 0) {
        return hop;
      }
    }
    return address;
  }

  private boolean trusted(String address) {
    byte[] bytes = Cidr.addressBytes(address);
    if (bytes == null) {
      return false;
    }
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(bytes)) {
        return true;
      }
    }
    return false;
  }
}
