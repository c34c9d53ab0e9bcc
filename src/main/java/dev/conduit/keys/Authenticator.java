package dev.conduit.keys;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.store.VirtualKey;
import io.vertx.core.MultiMap;
import java.time.Clock;

/** Finds the virtual key a request presents, or answers 401 saying why. */
public final class Authenticator {
  private final VirtualKeyCache keys;
  private final Clock clock;

  public Authenticator(VirtualKeyCache keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** The caller's key, from {@code Authorization: Bearer} or {@code X-API-Key}. */
  public VirtualKey authenticate(MultiMap headers) {
    String presented = presentedKey(headers);
    if (presented == null) {
      throw reject(
          "missing_api_key",
          "You didn't provide an API key. Send your Conduit virtual "
              + "key in the Authorization header (Bearer) or in X-API-Key.");
    }
    if (!presented.startsWith(KeyMaterial.VIRTUAL_KEY_PREFIX)) {
      throw reject(
          "invalid_api_key",
          "Incorrect API key provided. Conduit virtual keys start "
              + "with '"
              + KeyMaterial.VIRTUAL_KEY_PREFIX
              + "'.");
    }
    VirtualKey key = keys.findByHash(KeyMaterial.sha256Hex(presented));
    if (key == null) {
      throw reject("invalid_api_key", "Incorrect API key provided.");
    }
    if (key.isRevoked()) {
      throw reject("revoked_api_key", "This API key has been revoked.");
    }
    if (!key.enabled()) {
      throw reject("disabled_api_key", "This API key is disabled.");
    }
    if (key.isExpired(clock.instant())) {
      throw reject("expired_api_key", "This API key expired at " + key.expiresAt() + ".");
    }
    return key;
  }

  private static String presentedKey(MultiMap headers) {
    String authorization = headers.get("Authorization");
    if (authorization != null) {
      String trimmed = authorization.trim();
      if (trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = trimmed.substring(7).trim();
        if (!token.isEmpty()) {
          return token;
        }
      }
    }
    String apiKey = headers.get("X-API-Key");
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey.trim();
    }
    return null;
  }

  private static GatewayException reject(String code, String message) {
    return new GatewayException(GatewayError.unauthorized(code, message));
  }
}
