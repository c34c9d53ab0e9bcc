package dev.conduit.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Generating and hashing secret keys (virtual keys and the admin master key). */
public final class KeyMaterial {
  public static final String VIRTUAL_KEY_PREFIX = "condt_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One digest per thread: every request hashes its key, and {@code MessageDigest.getInstance}
   * looks the algorithm up and builds a new digest each time (the largest allocation per proxied
   * request in a JFR profile of bench/run.sh). {@code digest()} resets it for the next use.
   */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(KeyMaterial::newSha256);

  private KeyMaterial() {}

  /** {@code condt_} followed by 43 URL-safe characters (32 random bytes). */
  public static String newVirtualKey() {
    return VIRTUAL_KEY_PREFIX + randomToken(32);
  }

  /** URL-safe base64 of {@code bytes} random bytes, without padding. */
  public static String randomToken(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** Hex SHA-256 of the key's UTF-8 bytes. */
  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  public static byte[] sha256(String key) {
    return SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** A recognisable but useless fragment of a key: first 10 and last 4 characters. */
  public static String hint(String key) {
    if (key.length() <= 16) {
      return "***";
    }
    return key.substring(0, 10) + "..." + key.substring(key.length() - 4);
  }

  /** Compares a presented secret with a stored hash in constant time. */
  public static boolean matchesHash(String presented, byte[] expectedHash) {
    return MessageDigest.isEqual(sha256(presented), expectedHash);
  }
}
