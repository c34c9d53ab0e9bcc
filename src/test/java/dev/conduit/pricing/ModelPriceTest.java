package dev.conduit.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import dev.conduit.core.Usd;
import dev.conduit.store.ModelPrice;
import java.math.BigDecimal;
import java.util.Map;
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

  private static ModelPrice unitPrice(Map<String, Long> variants, Long perImage) {
    return new ModelPrice(
        "id",
        "p",
        "m",
        nanos("5"),
        nanos("40"),
        null,
        null,
        null,
        perImage,
        variants,
        nanos("0.0001"),
        nanos("15"),
        nanos("0.002"),
        null,
        "admin",
        null,
        0);
  }

  @Test
  void imagesCostTheirVariantsPriceElseTheSizesElseThePlainPerImagePrice() {
    ModelPrice price =
        unitPrice(
            Map.of(
                "1024x1024/hd", nanos("0.08"),
                "1024x1024", nanos("0.04"),
                "1792x1024/HD", nanos("0.12")),
            nanos("0.05"));

    assertThat(price.cost(Units.images(3), "1024x1024/hd")).isEqualTo(nanos("0.24"));
    assertThat(price.cost(Units.images(3), "1024X1024/HD")).as("any case").isEqualTo(nanos("0.24"));
    assertThat(price.cost(Units.images(2), "1792x1024/hd")).isEqualTo(nanos("0.24"));
    assertThat(price.cost(Units.images(2), "1024x1024/standard"))
        .as("no such quality: the size's price")
        .isEqualTo(nanos("0.08"));
    assertThat(price.cost(Units.images(1), "256x256")).as("plain").isEqualTo(nanos("0.05"));
    assertThat(price.cost(Units.images(1), null)).isEqualTo(nanos("0.05"));
    assertThat(price.cost(Units.images(0), "1024x1024/hd")).isZero();
  }

  @Test
  void withoutARateForTheUnitTheCallIsUnpriced() {
    ModelPrice tokensOnly = price("2", "8", null, null, null);

    assertThat(tokensOnly.cost(Units.images(1), "1024x1024")).isNull();
    assertThat(tokensOnly.cost(Units.audioSeconds(10), null)).isNull();
    assertThat(tokensOnly.cost(null, null)).as("no units: nothing to add").isZero();
    assertThat(unitPrice(Map.of("512x512", 1L), null).cost(Units.images(1), "1024x1024")).isNull();
  }

  @Test
  void audioCharactersAndSearchUnitsAreChargedAtTheirRates() {
    ModelPrice price = unitPrice(Map.of(), null);

    // $0.006 a minute is $0.0001 a second; 12.5 s of audio.
    assertThat(price.cost(Units.audioSeconds(12.5), null)).isEqualTo(nanos("0.00125"));
    // $15 per million characters; 1,234 characters.
    assertThat(price.cost(Units.characters(1_234), null)).isEqualTo(nanos("0.01851"));
    // $2 per thousand searches.
    assertThat(price.cost(Units.searchUnits(3), null)).isEqualTo(nanos("0.006"));
    // Rounded half up to a whole nano: 1 character at $0.0015 per million = 1.5 nanos.
    assertThat(unitPriceChars("0.0015").cost(Units.characters(1), null)).isEqualTo(2);
  }

  private static ModelPrice unitPriceChars(String perMillion) {
    return new ModelPrice(
        "id",
        "p",
        "m",
        0,
        0,
        null,
        null,
        null,
        null,
        Map.of(),
        null,
        nanos(perMillion),
        null,
        null,
        "admin",
        null,
        0);
  }

  @Test
  void unitsAreAKindAndANonNegativeAmountWithTheirDatabaseNames() {
    assertThat(Units.UnitKind.IMAGES.dbName()).isEqualTo("images");
    assertThat(Units.UnitKind.AUDIO_SECONDS.dbName()).isEqualTo("audio_seconds");
    assertThat(Units.UnitKind.CHARACTERS.dbName()).isEqualTo("characters");
    assertThat(Units.UnitKind.SEARCH_UNITS.dbName()).isEqualTo("search_units");
    assertThat(Units.fromDb("audio_seconds", 2.5)).isEqualTo(Units.audioSeconds(2.5));
    assertThat(Units.fromDb(null, null)).isNull();
    assertThatThrownBy(() -> new Units(Units.UnitKind.IMAGES, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Units.fromDb("minutes", 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
