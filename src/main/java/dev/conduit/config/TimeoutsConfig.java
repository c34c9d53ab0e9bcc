package dev.conduit.config;

/**
 * Upstream timeouts in milliseconds; a value left out inherits from the level above (deployment,
 * then provider, then these defaults). A timeout answers 504, or ends a stream already under way
 * with an error event. How long a request may take over all its attempts is {@code
 * routing.deadlineMs}.
 *
 * @param connectMs TCP (and TLS) connect
 * @param firstByteMs from sending the request to the response status line
 * @param idleMs longest silence between two pieces of the response body once it began (a stream
 *     that stalls); the wait while the caller reads slowly does not count
 * @param totalMs from sending the request to the last byte of the response
 */
public record TimeoutsConfig(Long connectMs, Long firstByteMs, Long idleMs, Long totalMs) {

  public static final TimeoutsConfig DEFAULTS =
      new TimeoutsConfig(5_000L, 30_000L, 30_000L, 600_000L);

  /** Fills what this leaves out from {@code parent}. */
  public TimeoutsConfig orElse(TimeoutsConfig parent) {
    if (parent == null) {
      return this;
    }
    return new TimeoutsConfig(
        connectMs != null ? connectMs : parent.connectMs,
        firstByteMs != null ? firstByteMs : parent.firstByteMs,
        idleMs != null ? idleMs : parent.idleMs,
        totalMs != null ? totalMs : parent.totalMs);
  }
}
