package dev.conduit.route;

import dev.conduit.config.RoutingConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every deployment's {@link DeploymentState}, by deployment id. Entries live as long as the
 * gateway: a deployment removed and added again by an admin change keeps its circuit.
 */
public final class DeploymentStates {
  private final Map<String, DeploymentState> states = new ConcurrentHashMap<>();
  private final CircuitBreakerConfig breakerConfig;
  private final Consumer<DeploymentState> onNew;

  /**
   * @param settings circuit breaker thresholds
   * @param clock time for the open-state wait (a test clock makes half-open testable)
   * @param onNew told of each new deployment (registers its metrics)
   */
  public DeploymentStates(
      RoutingConfig.CircuitBreakerSettings settings, Clock clock, Consumer<DeploymentState> onNew) {
    this.breakerConfig =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.slidingWindow())
            .minimumNumberOfCalls(settings.minimumCalls())
            .failureRateThreshold(settings.failureRatePercent())
            .waitDurationInOpenState(Duration.ofMillis(settings.openMs()))
            .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .clock(clock)
            .build();
    this.onNew = onNew;
  }

  public DeploymentState of(Deployment deployment) {
    DeploymentState state = states.get(deployment.id());
    if (state != null) {
      return state;
    }
    return states.computeIfAbsent(
        deployment.id(),
        id -> {
          DeploymentState created =
              new DeploymentState(
                  id, deployment.provider().name(), CircuitBreaker.of(id, breakerConfig));
          onNew.accept(created);
          return created;
        });
  }

  /** The state of every deployment of {@code provider} seen so far. */
  public List<DeploymentState> ofProvider(String provider) {
    List<DeploymentState> result = new ArrayList<>();
    for (DeploymentState state : states.values()) {
      if (state.provider().equals(provider)) {
        result.add(state);
      }
    }
    result.sort(java.util.Comparator.comparing(DeploymentState::id));
    return result;
  }

  /** Closes every circuit of {@code provider}; returns the deployments reset. */
  public List<DeploymentState> resetProvider(String provider) {
    List<DeploymentState> reset = ofProvider(provider);
    reset.forEach(state -> state.breaker().reset());
    return reset;
  }

  public Collection<DeploymentState> all() {
    return states.values();
  }
}
