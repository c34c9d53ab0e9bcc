package dev.conduit.config;

/**
 * Retries, circuit breakers, health checks and how admin changes reach every instance.
 *
 * @param retries default attempts a request may make on deployments it already tried (an alias's
 *     {@code retries} overrides it)
 * @param retryBaseDelayMs first backoff delay; doubles with each retry, with jitter
 * @param retryMaxDelayMs cap of the computed backoff delay
 * @param maxRetryAfterMs a provider's Retry-After longer than this is not waited for: the
 *     deployment is not retried
 * @param healthCheckIntervalMs active provider health checks run this often; 0 turns them off
 * @param changePollMs how often each instance checks the database for admin changes made elsewhere
 *     (with Redis, changes also arrive at once by pub/sub)
 * @param deadlineMs how long a request may wait for its answer to begin, over all its attempts and
 *     backoffs; then it is answered 504 (a stream under way is not cut: its chunks are bounded by
 *     the idle timeout)
 * @param circuitBreaker per-deployment circuit breaker settings
 */
public record RoutingConfig(
    Integer retries,
    Long retryBaseDelayMs,
    Long retryMaxDelayMs,
    Long maxRetryAfterMs,
    Long healthCheckIntervalMs,
    Long changePollMs,
    Long deadlineMs,
    CircuitBreakerSettings circuitBreaker) {

  public RoutingConfig {
    retries = retries == null ? 2 : retries;
    retryBaseDelayMs = retryBaseDelayMs == null ? 250L : retryBaseDelayMs;
    retryMaxDelayMs = retryMaxDelayMs == null ? 8_000L : retryMaxDelayMs;
    maxRetryAfterMs = maxRetryAfterMs == null ? 30_000L : maxRetryAfterMs;
    healthCheckIntervalMs = healthCheckIntervalMs == null ? 30_000L : healthCheckIntervalMs;
    changePollMs = changePollMs == null ? 2_000L : changePollMs;
    deadlineMs = deadlineMs == null ? 45_000L : deadlineMs;
    circuitBreaker = circuitBreaker == null ? CircuitBreakerSettings.defaults() : circuitBreaker;
  }

  public static RoutingConfig defaults() {
    return new RoutingConfig(null, null, null, null, null, null, null, null);
  }

  /**
   * A deployment's circuit opens when, among its last {@code slidingWindow} calls (and at least
   * {@code minimumCalls}), the failure rate reaches {@code failureRatePercent}; after {@code
   * openMs} it lets {@code halfOpenCalls} probes through and closes if they succeed.
   */
  public record CircuitBreakerSettings(
      Integer failureRatePercent,
      Integer slidingWindow,
      Integer minimumCalls,
      Long openMs,
      Integer halfOpenCalls) {

    public CircuitBreakerSettings {
      failureRatePercent = failureRatePercent == null ? 50 : failureRatePercent;
      slidingWindow = slidingWindow == null ? 20 : slidingWindow;
      minimumCalls = minimumCalls == null ? 10 : minimumCalls;
      openMs = openMs == null ? 30_000L : openMs;
      halfOpenCalls = halfOpenCalls == null ? 3 : halfOpenCalls;
    }

    public static CircuitBreakerSettings defaults() {
      return new CircuitBreakerSettings(null, null, null, null, null);
    }
  }
}
