package dev.conduit.config;

/**
 * How a stop (SIGTERM) drains the gateway: readiness answers 503 at once, the listeners keep
 * accepting for {@code delayMs} while load balancers take the instance out, then stop accepting;
 * requests and streams in flight run for up to {@code timeoutMs} more, and a stream still running
 * then ends with an error event in its caller's protocol.
 *
 * @param delayMs how long the listeners keep accepting after the stop began
 * @param timeoutMs how long requests in flight may run once the listeners stopped accepting; also
 *     bounds the final write of queued request-log rows and spend
 */
public record DrainConfig(Long delayMs, Long timeoutMs) {
  public static final long DEFAULT_DELAY_MS = 5_000;
  public static final long DEFAULT_TIMEOUT_MS = 20_000;

  public DrainConfig {
    delayMs = delayMs == null ? DEFAULT_DELAY_MS : delayMs;
    timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
  }

  public static DrainConfig defaults() {
    return new DrainConfig(null, null);
  }
}
