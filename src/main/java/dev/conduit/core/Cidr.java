package dev.conduit.core;

import io.netty.util.NetUtil;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address
 * is a block of one. IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) match IPv4 blocks, since
 * that is how a dual-stack listener reports IPv4 callers.
 *
 * @param network the block's address bytes, host bits cleared (4 or 16 bytes)
 * @param prefixLength number of leading bits that must match
 */
public record Cidr(byte[] network, int prefixLength) {

  /** Parses {@code address/prefix} or a bare address; empty when it is not one. */
  public static Optional<Cidr> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = addressBytes(address);
    if (bytes == null) {
      return Optional.empty();
    }
    int maxBits = bytes.length * 8;
    int prefix = maxBits;
    if (slash >= 0) {
      String digits = trimmed.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(digits);
      if (prefix > maxBits) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(mask(bytes, prefix), prefix));
  }

  /** Parses or throws {@link IllegalArgumentException} naming the bad value. */
  public static Cidr of(String text) {
    return parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + text + "' is not an IPv4 or IPv6 address or CIDR block"));
  }

  /** The bytes of a literal address (never a DNS lookup), IPv4-mapped IPv6 folded to IPv4. */
  public static byte[] addressBytes(String address) {
    if (address == null || address.isEmpty()) {
      return null;
    }
    String literal = address;
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 16 && isIpv4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  /** Whether {@code address} (a literal IPv4 or IPv6 address) lies in this block. */
  public boolean contains(String address) {
    byte[] bytes = addressBytes(address);
    return bytes != null && contains(bytes);
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(address, prefixLength), network);
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int bit = prefix; bit < masked.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return masked;
  }

  /** Canonical text: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
  @Override
  public String toString() {
    String address =
        network.length == 4
            ? NetUtil.bytesToIpAddress(network)
            : NetUtil.bytesToIpAddress(network).toLowerCase(Locale.ROOT);
    return address + "/" + prefixLength;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr cidr
        && cidr.prefixLength == prefixLength
        && Arrays.equals(cidr.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }
}
