package dev.conduit.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.Usage;
import dev.conduit.core.Usd;
import dev.conduit.store.ModelPrice;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ModelPriceTest {
  private static ModelPrice price(
      String input, String output, String cached, String write, String perRequest) {
    return new ModelPrice(
        "id",
        "p",
        "m",
        nanos(input),
        nanos(output),
        cached == null ? null : nanos(cached),
        write == null ? null : nanos(write),
        perRequest == null ? null : nanos(perRequest),
        null,
        null,
        "admin",
        null,
        0);
  }

  private static long nanos(String dollars) {
    return Usd.toNanos(new BigDecimal(dollars));
  }

  @Test
  void cachedAndCacheWrittenTokensArePricedAtTheirOwnRates() {
    ModelPrice anthropicLike = price("3", "15", "0.30", "3.75", null);

    // 1,000 prompt tokens of which 600 read from cache and 100 written to it; 200 output.
    long cost = anthropicLike.cost(new Usage(1_000, 200, 600, 100), true);

    // 300 x 3 + 600 x 0.30 + 100 x 3.75 + 200 x 15 = 4,455 per million.
    assertThat(cost).isEqualTo(nanos("0.004455"));
  }

  @Test
  void withoutACachedRateCachedTokensCostTheInputRate() {
    assertThat(price("2", "8", null, null, null).cost(new Usage(10, 0, 10, 0), true))
        .isEqualTo(nanos("0.00002"));
  }

  @Test
  void thePerRequestChargeAppliesOnlyToSuccessfulRequests() {
    ModelPrice price = price("0", "0", null, null, "0.01");

    assertThat(price.cost(Usage.NONE, true)).isEqualTo(nanos("0.01"));
    assertThat(price.cost(Usage.NONE, false)).isZero();
  }

  @Test
  void theMostARequestCanCostUsesTheDearestInputRate() {
    ModelPrice price = price("3", "15", "0.3", "3.75", "0.001");

    assertThat(price.maxCost(1_000, 100))
        .isEqualTo(nanos("0.00375") + nanos("0.0015") + nanos("0.001"));
  }

  @Test
  void dollarsAreExactAndNeverInExponentNotation() {
    assertThat(Usd.format(53_750)).isEqualTo("0.00005375");
    assertThat(Usd.toDollars(10 * Usd.ONE).toString()).isEqualTo("10");
    assertThat(Usd.display(9_000_000)).isEqualTo("$0.009");
    assertThat(Usd.display(1_234_000_000)).isEqualTo("$1.23");
    assertThat(Usd.perMillion(3, 1_000 * Usd.ONE)).isEqualTo(3_000_000);
    assertThat(Usd.perMillion(1, 75_000_000)).as("0.075 per million, half-up").isEqualTo(75);
    assertThat(Usd.perMillion(1, 37_500_000)).isEqualTo(38);
  }
}
