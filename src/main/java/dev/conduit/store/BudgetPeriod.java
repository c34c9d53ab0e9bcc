package dev.conduit.store;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/** How often a key's budget starts again: at UTC day, ISO week (Monday) or month boundaries. */
public enum BudgetPeriod {
  DAILY,
  WEEKLY,
  MONTHLY,
  /** The budget never resets. */
  TOTAL;

  /** The UTC day the period containing {@code now} began; null for {@link #TOTAL}. */
  public LocalDate startDay(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (this) {
      case DAILY -> today;
      case WEEKLY -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTHLY -> today.withDayOfMonth(1);
      case TOTAL -> null;
    };
  }

  /** When the period containing {@code now} ends and the budget resets; null for {@link #TOTAL}. */
  public Instant resetsAt(Instant now) {
    LocalDate start = startDay(now);
    if (start == null) {
      return null;
    }
    LocalDate next =
        switch (this) {
          case DAILY -> start.plusDays(1);
          case WEEKLY -> start.plusWeeks(1);
          case MONTHLY -> start.plusMonths(1);
          case TOTAL -> throw new IllegalStateException();
        };
    return next.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The name used in the API and the database: {@code daily}, {@code weekly}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<BudgetPeriod> fromWireName(String name) {
    for (BudgetPeriod period : values()) {
      if (period.wireName().equals(name)) {
        return Optional.of(period);
      }
    }
    return Optional.empty();
  }
}
