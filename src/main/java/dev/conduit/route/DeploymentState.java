package dev.conduit.route;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one gateway instance knows about one deployment from its own traffic: its circuit breaker,
 * calls in flight, and a moving average of latency. Shared by every alias that names the same
 * deployment; thread-safe.
 */
public final class DeploymentState {
  /** Weight of the newest sample in the latency moving average. */
  private static final double LATENCY_ALPHA = 0.2;

  private final String id;
  private final String provider;
  private final CircuitBreaker breaker;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Grows with each change of the breaker's state and each reset: see {@link CircuitPermit}. */
  private final AtomicLong episode = new AtomicLong();

  private volatile double latencyMs = -1;

  DeploymentState(String id, String provider, CircuitBreaker breaker) {
    this.id = id;
    this.provider = provider;
    this.breaker = breaker;
    breaker
        .getEventPublisher()
        .onStateTransition(event -> episode.incrementAndGet())
        .onReset(event -> episode.incrementAndGet());
  }

  /**
   * Asks the circuit breaker to let one call through (this may half-open an open circuit); null
   * when it refuses. The permit must be settled when the call ends.
   */
  public CircuitPermit tryAcquire() {
    if (!breaker.tryAcquirePermission()) {
      return null;
    }
    // Read after the grant: a grant that half-opened the circuit belongs to the new episode.
    return new CircuitPermit(this, episode.get());
  }

  long episode() {
    return episode.get();
  }

  public String id() {
    return id;
  }

  public String provider() {
    return provider;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public void callStarted() {
    inFlight.incrementAndGet();
  }

  public void callEnded() {
    inFlight.decrementAndGet();
  }

  /** Moving average of response latency in ms; -1 before the first sample. */
  public double latencyMs() {
    return latencyMs;
  }

  public void recordLatency(double ms) {
    double previous = latencyMs;
    // A lost update between two concurrent samples only costs one sample: fine for an average.
    latencyMs = previous < 0 ? ms : previous + LATENCY_ALPHA * (ms - previous);
  }

  /** {@code closed}, {@code open}, {@code half_open}, or Resilience4j's other states. */
  public String circuitState() {
    return breaker.getState().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The circuit state as a number for metrics: 0 closed, 1 open, 2 half-open. */
  public int circuitStateCode() {
    return switch (breaker.getState()) {
      case CLOSED, DISABLED, METRICS_ONLY -> 0;
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
    };
  }
}
