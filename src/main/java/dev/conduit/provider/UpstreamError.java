package dev.conduit.provider;

import dev.conduit.core.GatewayError;

/**
 * A provider's error answer, read by its adapter: the error the caller sees, and what kind of
 * failure it is, which decides what the gateway does next.
 *
 * @param kind what kind of failure it is, from {@link UpstreamErrors#classify}
 * @param error what the caller sees
 */
public record UpstreamError(Kind kind, GatewayError error) {

  /** What a provider's error means for the gateway. */
  public enum Kind {
    /**
     * The provider refused the gateway's own credentials (401/403, or a provider's own way of
     * saying so): the caller sees 502. Another deployment may serve; this one will not until its
     * credentials change.
     */
    AUTH_REJECTED,
    /** 429: the provider is limiting the gateway. Retryable, after its Retry-After. */
    RATE_LIMITED,
    /** 408, 500, 502, 503, 504 or 529: a passing failure. Retryable. */
    RETRYABLE,
    /** Any other 4xx: the request is at fault. The caller gets it as it is; no retry. */
    CLIENT_ERROR,
    /** Any other status (501, 505, a 3xx): no retry would change it; the caller gets it. */
    UNEXPECTED;

    /** Whether another attempt, on this deployment or another, might succeed. */
    public boolean isRetryable() {
      return this == AUTH_REJECTED || this == RATE_LIMITED || this == RETRYABLE;
    }
  }
}
