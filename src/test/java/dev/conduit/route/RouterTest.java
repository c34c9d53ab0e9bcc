package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.config.DeploymentConfig;
import dev.conduit.config.ModelConfig;
import dev.conduit.config.ProviderConfig;
import dev.conduit.config.RoutingConfig;
import dev.conduit.core.GatewayException;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderRuntime;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Plans for one request: strategies, fallbacks, skipped providers; and backoff arithmetic. */
class RouterTest {
  private final ProviderRegistry providers =
      ProviderRegistry.build(List.of(provider("p"), provider("q")));
  private final DeploymentStates states =
      new DeploymentStates(
          RoutingConfig.CircuitBreakerSettings.defaults(), Clock.systemUTC(), state -> {});

  private static ProviderConfig provider(String name) {
    return new ProviderConfig(
        name, "openai", "http://127.0.0.1:9/v1", "sk-" + name + "-key", null, null);
  }

  private Router router(PriceLookup prices, ModelConfig... models) {
    ModelCatalog catalog = ModelCatalog.build(List.of(models), providers, 2);
    return new Router(catalog, states, prices);
  }

  private static ModelConfig model(
      String alias, String strategy, List<String> fallbacks, DeploymentConfig... deployments) {
    return new ModelConfig(alias, strategy, fallbacks, null, List.of(deployments));
  }

  private static DeploymentConfig d(String provider, String model, Integer weight) {
    return new DeploymentConfig(provider, model, null, null, weight, null);
  }

  private static List<String> ids(Router.Plan plan) {
    return plan.candidates().stream().map(c -> c.deployment().id()).toList();
  }

  private Router.Plan plan(Router router, String alias, ModelConfig... models) {
    return router.plan(ModelCatalog.build(List.of(models), providers, 2).find(alias).orElseThrow());
  }

  @Test
  void weightedOrderFollowsTheWeights() {
    ModelConfig model = model("w", "weighted", null, d("p", "heavy", 3), d("q", "light", 1));
    Router router = router(PriceLookup.NONE, model);
    int heavyFirst = 0;
    for (int i = 0; i < 2000; i++) {
      Router.Plan plan = plan(router, "w", model);
      assertThat(ids(plan)).containsExactlyInAnyOrder("p/heavy", "q/light");
      if (ids(plan).get(0).equals("p/heavy")) {
        heavyFirst++;
      }
    }
    // Expected 1500 of 2000; the bounds are more than ten standard deviations away.
    assertThat(heavyFirst).isBetween(1300, 1700);
  }

  @Test
  void leastBusyPrefersFewerCallsInFlightAndLeastCostTheCheapest() {
    ModelConfig busy = model("b", "least-busy", null, d("p", "b1", null), d("q", "b2", null));
    Router router =
        router(
            deployment ->
                deployment.model().equals("c2")
                    ? OptionalDouble.of(1.0)
                    : deployment.model().equals("c1")
                        ? OptionalDouble.of(5.0)
                        : OptionalDouble.empty(),
            busy);
    Router.Plan first = plan(router, "b", busy);
    first.candidates().get(0).state().callStarted();
    assertThat(ids(plan(router, "b", busy)).get(0)).isEqualTo("q/b2");

    ModelConfig cost =
        model(
            "c",
            "least-cost",
            null,
            d("p", "unpriced", null),
            d("p", "c1", null),
            d("q", "c2", null));
    assertThat(ids(plan(router, "c", cost))).containsExactly("q/c2", "p/c1", "p/unpriced");
  }

  @Test
  void fallbacksComeAfterTheAliasAndDisabledProvidersAreLeftOut() {
    ModelConfig main = model("main", null, List.of("backup"), d("p", "m1", null));
    ModelConfig backup = model("backup", null, null, d("q", "b1", null), d("p", "m1", null));
    Router router = router(PriceLookup.NONE, main, backup);
    Router.Plan plan = plan(router, "main", main, backup);
    assertThat(ids(plan)).containsExactly("p/m1", "q/b1");
    assertThat(plan.candidates().get(1).fallback()).isTrue();
    assertThat(plan.candidates().get(1).alias()).isEqualTo("backup");

    providers.replace(
        ProviderRegistry.buildAll(
            List.of(provider("p"), provider("q")),
            name -> new ProviderRuntime(!name.equals("p"), Map.of(), null)));
    ModelCatalog catalog = ModelCatalog.build(List.of(main, backup), providers, 2);
    Router disabledRouter = new Router(catalog, states, PriceLookup.NONE);
    assertThat(ids(disabledRouter.plan(catalog.find("main").orElseThrow())))
        .containsExactly("q/b1");
    ModelConfig only = model("only", null, null, d("p", "m1", null));
    ModelCatalog onlyCatalog = ModelCatalog.build(List.of(only), providers, 2);
    assertThatThrownBy(
            () ->
                new Router(onlyCatalog, states, PriceLookup.NONE)
                    .plan(onlyCatalog.find("only").orElseThrow()))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("disabled");
  }

  @Test
  void backoffGrowsIsCappedAndHonoursRetryAfter() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
    RetryPolicy policy = new RetryPolicy(100, 1_000, 30_000, clock);
    for (int i = 0; i < 100; i++) {
      assertThat(policy.delayMs(1, -1)).isBetween(50L, 100L);
      assertThat(policy.delayMs(3, -1)).isBetween(200L, 400L);
      assertThat(policy.delayMs(10, -1)).isBetween(500L, 1_000L);
      assertThat(policy.delayMs(1, 2_500)).isEqualTo(2_500L);
    }
    assertThat(policy.retryAfterMs(MultiMap.caseInsensitiveMultiMap().add("Retry-After", "3")))
        .isEqualTo(3_000);
    assertThat(
            policy.retryAfterMs(
                MultiMap.caseInsensitiveMultiMap()
                    .add("retry-after-ms", "250.5")
                    .add("Retry-After", "9")))
        .isEqualTo(251);
    assertThat(
            policy.retryAfterMs(
                MultiMap.caseInsensitiveMultiMap()
                    .add("Retry-After", "Sun, 01 Mar 2026 00:00:04 GMT")))
        .isEqualTo(4_000);
    assertThat(policy.retryAfterMs(MultiMap.caseInsensitiveMultiMap())).isEqualTo(-1);
    assertThat(policy.worthWaiting(30_000)).isTrue();
    assertThat(policy.worthWaiting(30_001)).isFalse();
  }
}
