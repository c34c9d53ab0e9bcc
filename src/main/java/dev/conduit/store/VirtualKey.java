package dev.conduit.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A caller's credential. Only the SHA-256 hash of the secret is ever stored.
 *
 * @param id stable identifier
 * @param name human label
 * @param keyHash hex SHA-256 of the full key
 * @param keyHint the key's first and last characters, to recognise it in listings
 * @param allowedModels exact aliases or {@code prefix*} patterns; empty allows every model
 * @param expiresAt when the key stops working; null for never
 * @param metadata free-form JSON object; may be null
 * @param enabled a disabled key answers 401 until enabled again
 * @param revokedAt when the key was revoked (for good); null if it was not
 * @param createdAt creation time
 * @param updatedAt last change, in epoch milliseconds (drives cross-instance refresh)
 * @param limits budget, rate limits, group and IP allowlist
 */
public record VirtualKey(
    String id,
    String name,
    String keyHash,
    String keyHint,
    List<String> allowedModels,
    Instant expiresAt,
    JsonNode metadata,
    boolean enabled,
    Instant revokedAt,
    Instant createdAt,
    long updatedAt,
    KeyLimits limits) {

  public VirtualKey {
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    limits = limits == null ? KeyLimits.NONE : limits;
  }

  /** This key with other limits (the change stamp is set when the change is stored). */
  public VirtualKey withLimits(KeyLimits newLimits) {
    return new VirtualKey(
        id,
        name,
        keyHash,
        keyHint,
        allowedModels,
        expiresAt,
        metadata,
        enabled,
        revokedAt,
        createdAt,
        updatedAt,
        newLimits);
  }

  /** Whether this key may call {@code model}: exact match, or a {@code prefix*} pattern. */
  public boolean allows(String model) {
    if (allowedModels.isEmpty()) {
      return true;
    }
    for (String pattern : allowedModels) {
      if (pattern.endsWith("*")
          ? model.startsWith(pattern.substring(0, pattern.length() - 1))
          : model.equals(pattern)) {
        return true;
      }
    }
    return false;
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
