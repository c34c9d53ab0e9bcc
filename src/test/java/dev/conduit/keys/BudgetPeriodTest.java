package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.Cidr;
import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.IpFilter;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {
  private static final Instant WEDNESDAY = Instant.parse("2031-12-31T23:59:59Z");

  @Test
  void periodsStartAndResetAtUtcBoundaries() {
    assertThat(BudgetPeriod.DAILY.startDay(WEDNESDAY)).isEqualTo(LocalDate.of(2031, 12, 31));
    assertThat(BudgetPeriod.DAILY.resetsAt(WEDNESDAY))
        .isEqualTo(Instant.parse("2032-01-01T00:00:00Z"));
    assertThat(BudgetPeriod.WEEKLY.startDay(WEDNESDAY)).isEqualTo(LocalDate.of(2031, 12, 29));
    assertThat(BudgetPeriod.WEEKLY.resetsAt(WEDNESDAY))
        .isEqualTo(Instant.parse("2032-01-05T00:00:00Z"));
    assertThat(BudgetPeriod.MONTHLY.startDay(WEDNESDAY)).isEqualTo(LocalDate.of(2031, 12, 1));
    assertThat(BudgetPeriod.MONTHLY.resetsAt(WEDNESDAY))
        .isEqualTo(Instant.parse("2032-01-01T00:00:00Z"));
    assertThat(BudgetPeriod.TOTAL.startDay(WEDNESDAY)).isNull();
    assertThat(BudgetPeriod.TOTAL.resetsAt(WEDNESDAY)).isNull();
  }

  @Test
  void resetTimesAreWrittenAsOpenAiWritesThem() {
    assertThat(RateLimitHeaders.duration(850)).isEqualTo("850ms");
    assertThat(RateLimitHeaders.duration(59_000)).isEqualTo("59s");
    assertThat(RateLimitHeaders.duration(360_000)).isEqualTo("6m0s");
    assertThat(RateLimitHeaders.duration(83_105_000)).isEqualTo("23h5m5s");
  }

  @Test
  void theLongestMatchingIpRuleDecides() {
    IpRules rules = new IpRules();
    rules.replaceAll(
        java.util.List.of(
            new IpFilter("1", Cidr.of("10.0.0.0/8"), false, null, null, 0),
            new IpFilter("2", Cidr.of("10.1.0.0/16"), true, null, null, 0)));

    assertThat(rules.allows("10.1.2.3")).isTrue();
    assertThat(rules.allows("10.2.0.1")).isFalse();
    assertThat(rules.allows("192.0.2.1")).as("allow rules exist: others are out").isFalse();
  }
}
