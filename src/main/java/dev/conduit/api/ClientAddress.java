package dev.conduit.api;

import dev.conduit.core.Cidr;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The caller's IP address, for IP allowlists and filters: the connection's peer, or, when the peer
 * is a trusted proxy ({@code server.trustedProxies}), the first address from the right of the
 * forwarding chain that is not itself a trusted proxy (addresses further left can be forged by the
 * caller).
 *
 * <p>The chain is every {@code X-Forwarded-For} line in order, each a comma-separated list, or
 * every {@code for=} of the RFC 7239 {@code Forwarded} lines. Addresses may carry a port ({@code
 * 203.0.113.7:4711}, {@code [2001:db8::7]:4711}). An entry the walk reaches that is not an address
 * (a host name, {@code unknown}, an obfuscated {@code _node}, an empty entry) makes the caller
 * {@link #UNKNOWN}, which no IP rule admits. When both headers came and name different callers, the
 * caller is unknown too: only one of them can be the proxy's, and which one is not known.
 */
public final class ClientAddress {
  /** The caller when a trusted proxy forwarded something that is not an address. */
  public static final String UNKNOWN = "unknown";

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
    List<String> forwardedFor = request.headers().getAll("X-Forwarded-For");
    List<String> forwarded = request.headers().getAll("Forwarded");
    String fromForwardedFor = forwardedFor.isEmpty() ? null : walk(forwardedForChain(forwardedFor));
    String fromForwarded = forwarded.isEmpty() ? null : walk(forwardedChain(forwarded));
    if (fromForwardedFor == null) {
      return fromForwarded == null ? address : fromForwarded;
    }
    if (fromForwarded == null || sameAddress(fromForwardedFor, fromForwarded)) {
      return fromForwardedFor;
    }
    return UNKNOWN;
  }

  /** From the right: the first untrusted hop; the left-most when all are trusted. */
  private String walk(List<String> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      String hop = chain.get(i);
      if (hop == null) {
        return UNKNOWN;
      }
      if (!trusted(hop) || i == 0) {
        return hop;
      }
    }
    return UNKNOWN;
  }

  /** Every entry of every line, in order; null for an entry that is not an address. */
  private static List<String> forwardedForChain(List<String> lines) {
    List<String> chain = new ArrayList<>();
    for (String line : lines) {
      for (String entry : line.split(",", -1)) {
        chain.add(address(entry.trim()));
      }
    }
    return chain;
  }

  /** The {@code for=} of every element of every line; null for an element without a usable one. */
  private static List<String> forwardedChain(List<String> lines) {
    List<String> chain = new ArrayList<>();
    for (String line : lines) {
      for (String element : line.split(",", -1)) {
        chain.add(forParameter(element));
      }
    }
    return chain;
  }

  private static String forParameter(String element) {
    String found = null;
    for (String pair : element.split(";", -1)) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
        if (found != null) {
          return null; // a parameter may occur once per element
        }
        found = unquote(pair.substring(equals + 1).trim());
      }
    }
    return found == null ? null : address(found);
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /**
   * The literal address in {@code 1.2.3.4}, {@code 1.2.3.4:80}, {@code 2001:db8::1}, {@code
   * [2001:db8::1]} or {@code [2001:db8::1]:80}; null when it is none of these.
   */
  private static String address(String text) {
    String host = text;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || !isPortOrNothing(text.substring(close + 1))) {
        return null;
      }
      host = text.substring(1, close);
    } else {
      int colon = text.indexOf(':');
      if (colon >= 0 && colon == text.lastIndexOf(':')) { // IPv4 with a port
        if (!isPortOrNothing(text.substring(colon))) {
          return null;
        }
        host = text.substring(0, colon);
      }
    }
    return Cidr.addressBytes(host) == null ? null : host;
  }

  private static boolean isPortOrNothing(String text) {
    if (text.isEmpty()) {
      return true;
    }
    return text.length() >= 2
        && text.length() <= 6
        && text.charAt(0) == ':'
        && text.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean sameAddress(String one, String other) {
    return Arrays.equals(Cidr.addressBytes(one), Cidr.addressBytes(other));
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
