package dev.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.provider.ProviderRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routing and resilience configuration keys: defaults, values read, and mistakes named. */
class RoutingConfigTest {
  private static final String BASE =
      """
      providers:
        - { name: a, type: openai, baseUrl: "http://127.0.0.1:1/v1", apiKeys: [k1, k2] }
      models:
        - alias: main
          strategy: weighted
          fallbacks: [spare]
          retries: 4
          deployments:
            - { provider: a, model: m1, region: eu-west, weight: 3, priority: 2,
                timeouts: { connectMs: 100, firstByteMs: 200, totalMs: 300 } }
        - alias: spare
          deployments: [ { provider: a, model: m2 } ]
      routing:
        retries: 1
        retryBaseDelayMs: 10
        healthCheckIntervalMs: 0
        circuitBreaker: { failureRatePercent: 30, slidingWindow: 50, minimumCalls: 5,
                          openMs: 1000, halfOpenCalls: 2 }
      """;

  private static ConduitConfig parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(env, ProviderRegistry.configTypes()).parse(yaml, "conduit.yaml");
  }

  @Test
  void theRoutingKeysAreRead() {
    ConduitConfig config = parse(BASE, Map.of("CONDUIT_ENCRYPTION_KEY", "secret-key"));
    ModelConfig main = config.models().get(0);
    assertThat(main.strategy()).isEqualTo("weighted");
    assertThat(main.fallbacks()).containsExactly("spare");
    assertThat(main.retries()).isEqualTo(4);
    DeploymentConfig deployment = main.deployments().get(0);
    assertThat(deployment.region()).isEqualTo("eu-west");
    assertThat(deployment.weight()).isEqualTo(3);
    assertThat(deployment.priority()).isEqualTo(2);
    assertThat(config.models().get(1).strategy()).isEqualTo("priority");
    assertThat(config.models().get(1).deployments().get(0).weight()).isEqualTo(1);
    assertThat(config.providers().get(0).allApiKeys()).containsExactly("k1", "k2");
    assertThat(config.routing().retries()).isEqualTo(1);
    assertThat(config.routing().retryMaxDelayMs()).isEqualTo(8_000L);
    assertThat(config.routing().circuitBreaker().halfOpenCalls()).isEqualTo(2);
    assertThat(config.encryption().key()).isEqualTo("secret-key");
    assertThat(config.encryption().toString()).doesNotContain("secret-key");
  }

  @Test
  void mistakesNameTheKey() {
    assertThatThrownBy(
            () -> parse(BASE.replace("strategy: weighted", "strategy: fastest"), Map.of()))
        .hasMessageContaining("models[0].strategy")
        .hasMessageContaining("least-latency");
    assertThatThrownBy(
            () -> parse(BASE.replace("fallbacks: [spare]", "fallbacks: [gone]"), Map.of()))
        .hasMessageContaining("models[0].fallbacks[0]");
    assertThatThrownBy(
            () -> parse(BASE.replace("fallbacks: [spare]", "fallbacks: [main]"), Map.of()))
        .hasMessageContaining("models[0].fallbacks[0]");
    assertThatThrownBy(() -> parse(BASE.replace("retries: 4", "retries: -1"), Map.of()))
        .hasMessageContaining("models[0].retries");
    assertThatThrownBy(() -> parse(BASE.replace("weight: 3", "weight: -3"), Map.of()))
        .hasMessageContaining("models[0].deployments[0].weight");
    assertThatThrownBy(
            () ->
                parse(BASE.replace("failureRatePercent: 30", "failureRatePercent: 130"), Map.of()))
        .hasMessageContaining("routing.circuitBreaker.failureRatePercent");
    assertThatThrownBy(
            () -> parse(BASE.replace("retryBaseDelayMs: 10", "retryBaseDelayMs: 0"), Map.of()))
        .hasMessageContaining("routing.retryBaseDelayMs");
    assertThatThrownBy(() -> parse(BASE.replace("halfOpenCalls: 2", "halfOpenProbes: 2"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("routing.circuitBreaker");
  }
}
