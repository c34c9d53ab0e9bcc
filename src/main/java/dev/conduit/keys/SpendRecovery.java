package dev.conduit.keys;

import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.SpendRepository;
import dev.conduit.store.SpendRepository.Deltas;
import dev.conduit.store.SpendRepository.GroupHour;
import dev.conduit.store.SpendRepository.KeyDay;
import dev.conduit.store.VirtualKey;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, at start, spend that an instance settled and logged but was killed (kill -9, OOM) before
 * its spend book wrote: for each key, the cost in the request log for the key's current budget
 * period (all time for keys without a budget), and for each group all its logged cost, is compared
 * with the written spend, and what the log has beyond it is added. Never subtracts (a log row can
 * be missing while its spend was written).
 *
 * <p>The watermark: the request log as read at the start of the run ({@code T0}). Other instances
 * that are running write a request's spend at most one flush interval after they log it, so the
 * spend is read again after waiting two flush intervals, and only what the log at {@code T0} holds
 * beyond the spend read then is added: rows logged before {@code T0} by a live instance have had
 * their spend written by then, and spend written after {@code T0} only lowers the difference (never
 * counts twice). Adding brings spend and log level, so a second run finds nothing to add. The wait
 * happens only when a difference is found, which after a clean shutdown it is not.
 */
public final class SpendRecovery {
  private static final Logger log = LoggerFactory.getLogger(SpendRecovery.class);

  private final SpendRepository repository;
  private final Clock clock;
  private final long settleWaitMs;

  /**
   * @param settleWaitMs how long live instances may take to write spend they have logged (two spend
   *     flush intervals)
   */
  public SpendRecovery(SpendRepository repository, Clock clock, long settleWaitMs) {
    this.repository = repository;
    this.clock = clock;
    this.settleWaitMs = settleWaitMs;
  }

  /** Reconciles; returns the nano-dollars added to keys. Blocking. */
  public long run(Collection<VirtualKey> keys) throws SQLException, InterruptedException {
    Instant now = clock.instant();
    Map<LocalDate, Set<String>> keysByStart = new HashMap<>();
    Set<String> allTime = new HashSet<>();
    for (VirtualKey key : keys) {
      LocalDate start = periodOf(key).startDay(now);
      if (start == null) {
        allTime.add(key.id());
      } else {
        keysByStart.computeIfAbsent(start, day -> new HashSet<>()).add(key.id());
      }
    }
    Map<String, Long> loggedKeys = loggedKeyCost(keysByStart, allTime);
    Map<String, Long> loggedGroups = repository.loggedGroupCost();

    Map<String, Long> keyGaps = keyGaps(loggedKeys, writtenKeySpend(keysByStart, allTime));
    Map<String, Long> groupGaps = gaps(loggedGroups, repository.groupSpends());
    if (keyGaps.isEmpty() && groupGaps.isEmpty()) {
      return 0;
    }
    // Let running instances write what they logged before T0, then compare again.
    Thread.sleep(settleWaitMs);
    keyGaps = keyGaps(loggedKeys, writtenKeySpend(keysByStart, allTime));
    groupGaps = gaps(loggedGroups, repository.groupSpends());
    if (keyGaps.isEmpty() && groupGaps.isEmpty()) {
      return 0;
    }

    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Map<KeyDay, Long> keyDays = new HashMap<>();
    keyGaps.forEach((keyId, nanos) -> keyDays.put(new KeyDay(keyId, today), nanos));
    Map<GroupHour, Long> groupHours = new HashMap<>();
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    groupGaps.forEach((groupId, nanos) -> groupHours.put(new GroupHour(groupId, hour), nanos));
    repository.add(new Deltas(UUID.randomUUID().toString(), keyDays, groupGaps, groupHours));
    long recovered = keyGaps.values().stream().mapToLong(Long::longValue).sum();
    log.warn(
        "Recovered spend the request log has but the spend tables had not counted (an earlier"
            + " instance stopped without writing it): {} nano-dollars over {} keys, {} groups",
        recovered,
        keyGaps.size(),
        groupGaps.size());
    return recovered;
  }

  private static BudgetPeriod periodOf(VirtualKey key) {
    return key.limits().hasBudget() ? key.limits().budgetPeriod() : BudgetPeriod.TOTAL;
  }

  private Map<String, Long> loggedKeyCost(Map<LocalDate, Set<String>> byStart, Set<String> allTime)
      throws SQLException {
    Map<String, Long> logged = new HashMap<>();
    if (!allTime.isEmpty()) {
      keep(repository.loggedKeyCost(null), allTime, logged);
    }
    for (Map.Entry<LocalDate, Set<String>> period : byStart.entrySet()) {
      keep(repository.loggedKeyCost(period.getKey()), period.getValue(), logged);
    }
    return logged;
  }

  private Map<String, Long> writtenKeySpend(
      Map<LocalDate, Set<String>> byStart, Set<String> allTime) throws SQLException {
    Map<String, Long> written = new HashMap<>(repository.keySpend(allTime, null));
    for (Map.Entry<LocalDate, Set<String>> period : byStart.entrySet()) {
      written.putAll(repository.keySpend(period.getValue(), period.getKey()));
    }
    return written;
  }

  private static void keep(Map<String, Long> sums, Set<String> ids, Map<String, Long> into) {
    sums.forEach(
        (id, nanos) -> {
          if (ids.contains(id)) {
            into.put(id, nanos);
          }
        });
  }

  /** Keys may have no spend row yet: every logged key counts. */
  private static Map<String, Long> keyGaps(Map<String, Long> logged, Map<String, Long> written) {
    Map<String, Long> gaps = new HashMap<>();
    logged.forEach(
        (id, nanos) -> {
          long gap = nanos - written.getOrDefault(id, 0L);
          if (gap > 0) {
            gaps.put(id, gap);
          }
        });
    return gaps;
  }

  /**
   * What {@code logged} has beyond {@code written}, for ids {@code written} has (groups that still
   * exist); only positive gaps.
   */
  private static Map<String, Long> gaps(Map<String, Long> logged, Map<String, Long> written) {
    Map<String, Long> gaps = new HashMap<>();
    logged.forEach(
        (id, nanos) -> {
          Long counted = written.get(id);
          long gap = counted == null ? 0 : nanos - counted;
          if (gap > 0) {
            gaps.put(id, gap);
          }
        });
    return gaps;
  }
}
