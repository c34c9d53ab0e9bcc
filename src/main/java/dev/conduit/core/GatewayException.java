package dev.conduit.core;

/**
 * A failure that already knows the error the caller should get, such as a request a provider cannot
 * express ({@code n > 1} to a provider with one choice) or a caller's body that does not decode.
 */
public final class GatewayException extends RuntimeException {
  private final GatewayError error;

  public GatewayException(GatewayError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public GatewayError error() {
    return error;
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
