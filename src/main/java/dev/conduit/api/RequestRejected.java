package dev.conduit.api;

import dev.conduit.core.GatewayError;

/** Thrown while reading a request the gateway must refuse; carries the error to answer with. */
public final class RequestRejected extends RuntimeException {
  private final GatewayError error;

  public RequestRejected(GatewayError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public GatewayError error() {
    return error;
  }
}
