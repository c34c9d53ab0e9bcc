package dev.conduit.pipeline;

import dev.conduit.observe.GatewayMetrics;
import dev.conduit.route.ProviderHealth;
import dev.conduit.route.RetryPolicy;

/**
 * What the attempt loop needs besides the plan: backoff rules, a timer to wait them out, and where
 * outcomes are recorded (passive provider health, retry and fallback metrics).
 *
 * @param policy backoff and Retry-After rules
 * @param timer waits out a backoff
 * @param health passive provider health
 * @param metrics retry and fallback counters
 * @param deadlineMs how long a request may wait for its answer to begin, over all its attempts
 *     ({@code routing.deadlineMs})
 */
public record Resilience(
    RetryPolicy policy,
    RetryTimer timer,
    ProviderHealth health,
    GatewayMetrics metrics,
    long deadlineMs) {}
