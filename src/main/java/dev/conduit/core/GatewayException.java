package dev.conduit.core;

import java.util.Map;

/**
 * A failure that already knows the error the caller should get: a request the gateway refuses (bad
 * body, unknown key, rate limit), one a provider cannot express ({@code n > 1} to a provider with
 * one choice), or an alias with no deployment that can serve. The one exception type for gateway
 * errors in every layer; it carries any headers that explain the error (such as {@code Retry-After}
 * on a 429).
 */
public final class GatewayException extends RuntimeException {
  private final GatewayError error;
  private final Map<String, String> headers;

  public GatewayException(GatewayError error) {
    this(error, Map.of());
  }

  public GatewayException(GatewayError error, Map<String, String> headers) {
    super(error.message(), null, false, false);
    this.error = error;
    this.headers = Map.copyOf(headers);
  }

  public GatewayError error() {
    return error;
  }

  /** Response headers to send with the error. */
  public Map<String, String> headers() {
    return headers;
  }

  /** A 400 naming the offending field. */
  public static GatewayException badRequest(String message, String param) {
    return new GatewayException(GatewayError.badRequest("invalid_request", message, param));
  }

  /** A 400 for a feature the chosen provider cannot express. */
  public static GatewayException unsupported(String provider, String feature, String param) {
    return new GatewayException(
        GatewayError.badRequest(
            "unsupported_parameter",
            "Provider '" + provider + "' does not support " + feature + ".",
            param));
  }
}
