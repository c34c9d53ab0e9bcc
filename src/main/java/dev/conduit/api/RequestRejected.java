package dev.conduit.api;

import dev.conduit.core.GatewayError;
import java.util.Map;

/**
 * Thrown while reading a request the gateway must refuse; carries the error to answer with and any
 * headers that explain it (such as {@code Retry-After} on a 429).
 */
public final class RequestRejected extends RuntimeException {
  private final GatewayError error;
  private final Map<String, String> headers;

  public RequestRejected(GatewayError error) {
    this(error, Map.of());
  }

  public RequestRejected(GatewayError error, Map<String, String> headers) {
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
}
