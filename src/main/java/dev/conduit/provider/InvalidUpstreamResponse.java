package dev.conduit.provider;

/** An upstream response that does not follow its protocol (truncated JSON, a stray HTML page). */
public final class InvalidUpstreamResponse extends RuntimeException {
  public InvalidUpstreamResponse(String message) {
    super(message, null, false, false);
  }
}
