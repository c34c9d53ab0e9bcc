package dev.conduit.config;

/**
 * Upstream timeouts in milliseconds; a value left out inherits from the level above (deployment,
 * then provider, then these defaults). A timeout answers 504.
 *
 * @param connectMs TCP (and TLS) connect
 * @param firstByteMs from sending the request to the response status line
 * @param totalMs from sending the request to the last byte of the response
 */
public record TimeoutsConfig(Long connectMs, Long firstByteMs, Long totalMs) {

  public static final TimeoutsConfig DEFAULTS = new TimeoutsConfig(5_000L, 60_000L, 600_000L);

  /** Fills what this leaves out from {@code parent}. */
  public TimeoutsConfig orElse(TimeoutsConfig parent) {
    if (parent == null) {
      return this;
    }
    return new TimeoutsConfig(
        connectMs != null ? connectMs : parent.connectMs,
        firstByteMs != null ? firstByteMs : parent.firstByteMs,
        totalMs != null ? totalMs : parent.totalMs);
  }
}
