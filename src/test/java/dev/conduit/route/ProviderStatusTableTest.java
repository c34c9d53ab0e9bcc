package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.config.ProviderConfig;
import dev.conduit.config.RoutingConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderRuntime;
import dev.conduit.route.ProviderHealth.Status;
import dev.conduit.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider status and its reason, one situation per row: {@code unhealthy} (gauge 0) only
 * when the provider cannot serve; trouble it serves through is {@code degraded} (gauge 1).
 */
class ProviderStatusTableTest {

  /** What a row starts from: a provider of two keys and two deployments, and what happened. */
  private static final class Situation {
    boolean enabled = true;
    String apiKey = null;
    List<String> apiKeys = List.of("sk-first-0123456789", "sk-second-0123456789");
    final Set<String> rejectedKeys = ConcurrentHashMap.newKeySet();
    Consumer<Situation> events = s -> {};
    final ProviderHealth health = new ProviderHealth(new MutableClock(Instant.now()));
    final DeploymentStates states =
        new DeploymentStates(
            RoutingConfig.CircuitBreakerSettings.defaults(),
            new MutableClock(Instant.now()),
            s -> {});
    Provider provider;
    List<DeploymentState> deployments;

    void calls(int failed, int succeeded) {
      for (int i = 0; i < failed; i++) {
        health.recordCall("p", true, 10, "Provider 'p' failed (HTTP 503)");
      }
      for (int i = 0; i < succeeded; i++) {
        health.recordCall("p", false, 10, null);
      }
    }

    ProviderHealth.Verdict verdict() {
      ProviderConfig config =
          new ProviderConfig("p", "openai", "http://127.0.0.1:9/v1", apiKey, apiKeys, null);
      provider =
          ProviderRegistry.buildAll(
                  List.of(config), name -> new ProviderRuntime(enabled, Map.of(), rejectedKeys))
              .get("p");
      deployments =
          List.of(
              states.of(Deployment.of(provider, "model-a", null)),
              states.of(Deployment.of(provider, "model-b", null)));
      events.accept(this);
      return health.status(provider, deployments);
    }
  }

  /** One row: the situation, the expected status, and words its reason must contain. */
  private record Row(Consumer<Situation> setUp, Status status, String reason) {}

  static Stream<Named<Row>> rows() {
    return Stream.of(
        row("nothing happened yet", s -> {}, Status.HEALTHY, null),
        row(
            "a few failures among many calls",
            s -> s.events = e -> e.calls(1, 19),
            Status.HEALTHY,
            null),
        row(
            "disabled by an operator",
            s -> s.enabled = false,
            Status.DISABLED,
            "disabled by an operator"),
        row(
            "its key variable is unset",
            s -> {
              s.apiKey = "${CONDUIT_TEST_STATUS_UNSET_KEY}";
              s.apiKeys = null;
            },
            Status.UNHEALTHY,
            "CONDUIT_TEST_STATUS_UNSET_KEY is not set"),
        row(
            "every key rejected",
            s -> s.rejectedKeys.addAll(s.apiKeys),
            Status.UNHEALTHY,
            "rejected every API key"),
        row(
            "one key of two rejected",
            s -> s.rejectedKeys.add(s.apiKeys.get(0)),
            Status.DEGRADED,
            "1 of 2 API keys rejected"),
        row(
            "its latest check failed",
            s -> s.events = e -> e.health.recordCheck("p", false, 5, "HTTP 503"),
            Status.UNHEALTHY,
            "latest health check failed"),
        row(
            "a call succeeded after the failed check",
            s ->
                s.events =
                    e -> {
                      e.health.recordCheck("p", false, 5, "HTTP 503");
                      e.calls(0, 1);
                    },
            Status.HEALTHY,
            null),
        row(
            "every circuit open",
            s -> s.events = e -> e.deployments.forEach(d -> d.breaker().transitionToOpenState()),
            Status.UNHEALTHY,
            "the circuit of every deployment is open: p/model-a, p/model-b"),
        row(
            "one circuit of two open",
            s -> s.events = e -> e.deployments.get(0).breaker().transitionToOpenState(),
            Status.DEGRADED,
            "circuit open for p/model-a"),
        row(
            "a circuit half-open",
            s ->
                s.events =
                    e -> {
                      e.deployments.forEach(d -> d.breaker().transitionToOpenState());
                      e.deployments.get(1).breaker().transitionToHalfOpenState();
                    },
            Status.DEGRADED,
            "circuit half-open (probing) for p/model-b"),
        row(
            "8 of 15 calls failed, its check passes (the probe's case)",
            s ->
                s.events =
                    e -> {
                      e.calls(8, 7);
                      e.health.recordCheck("p", true, 5, null);
                    },
            Status.DEGRADED,
            "8 of 15 recent calls failed (53%); last error: Provider 'p' failed (HTTP 503)"),
        row(
            "every recent call failed, circuits still closed",
            s -> s.events = e -> e.calls(6, 0),
            Status.DEGRADED,
            "6 of 6 recent calls failed (100%)"),
        row(
            "2 of 10 calls failed",
            s -> s.events = e -> e.calls(2, 8),
            Status.DEGRADED,
            "2 of 10 recent calls failed (20%)"));
  }

  private static Named<Row> row(
      String name, Consumer<Situation> setUp, Status status, String reason) {
    return Named.of(name, new Row(setUp, status, reason));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void statusAndReason(Row row) {
    Situation situation = new Situation();
    row.setUp().accept(situation);

    ProviderHealth.Verdict verdict = situation.verdict();

    assertThat(verdict.status()).isEqualTo(row.status());
    if (row.reason() == null) {
      assertThat(verdict.reason()).isNull();
    } else {
      assertThat(verdict.reason()).contains(row.reason());
    }
    int gauge = row.status() == Status.HEALTHY || row.status() == Status.DEGRADED ? 1 : 0;
    assertThat(verdict.gaugeValue()).isEqualTo(gauge);
  }
}
