package dev.conduit.keys;

import dev.conduit.core.Usd;
import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.SpendRepository;
import dev.conduit.store.SpendRepository.Deltas;
import dev.conduit.store.SpendRepository.GroupHour;
import dev.conduit.store.SpendRepository.KeyDay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request's cost, added up in memory and written to the database in batches: one row write
 * per key-day, key, group and group-hour per flush, never a row update per request. A failed flush
 * keeps its batch and tries again; {@link #close} writes what is left.
 *
 * <p>It also answers "how much has this key or group spent" (database plus what is not yet
 * written), which seeds the budget counters and feeds the admin API and the {@code
 * conduit_virtual_key_spend_usd} gauge.
 */
public final class SpendBook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpendBook.class);

  private final SpendRepository repository;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Function<String, BudgetPeriod> periodOfKey;
  private final long shutdownGraceMs;
  private final ScheduledExecutorService flusher;
  private final Map<String, KeyGauge> gauges = new ConcurrentHashMap<>();

  // Guarded by this.
  private Map<String, Map<LocalDate, Long>> pendingKeys = new HashMap<>();
  private Map<String, Long> pendingGroups = new HashMap<>();
  private Map<GroupHour, Long> pendingGroupHours = new HashMap<>();
  private Batch inFlight;
  private long completedFlushes;
  private boolean failing;

  /**
   * @param periodOfKey the budget period a key's gauge reports (its own, or total)
   */
  public SpendBook(
      SpendRepository repository,
      Clock clock,
      MeterRegistry metrics,
      Function<String, BudgetPeriod> periodOfKey,
      long flushIntervalMs,
      long shutdownGraceMs) {
    this.repository = repository;
    this.clock = clock;
    this.metrics = metrics;
    this.periodOfKey = periodOfKey;
    this.shutdownGraceMs = shutdownGraceMs;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "conduit-spend-flush");
              thread.setDaemon(true);
              return thread;
            });
    flusher.scheduleWithFixedDelay(
        this::flushQuietly, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Adds one request's cost. Never blocks on I/O; called once per request when it settles.
   *
   * @param at when the request was admitted: its spend belongs to that day's period
   */
  public void record(String keyId, String groupId, Instant at, long costNanos) {
    if (costNanos == 0) {
      return;
    }
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    synchronized (this) {
      pendingKeys.computeIfAbsent(keyId, id -> new HashMap<>()).merge(day, costNanos, Long::sum);
      if (groupId != null) {
        pendingGroups.merge(groupId, costNanos, Long::sum);
        pendingGroupHours.merge(
            new GroupHour(groupId, at.truncatedTo(ChronoUnit.HOURS)), costNanos, Long::sum);
      }
    }
    gauges.computeIfAbsent(keyId, this::registerGauge);
  }

  /** A key's spend from {@code fromDay} on (null: all time), written or not. Blocking. */
  public long keySpend(String keyId, LocalDate fromDay) throws SQLException {
    while (true) {
      long flushesBefore = completedFlushes();
      long unwritten = unwrittenForKey(keyId, fromDay);
      long written = repository.keySpend(keyId, fromDay);
      if (completedFlushes() == flushesBefore) {
        return written + unwritten;
      }
    }
  }

  /** Spend of each key from {@code fromDay} on (null: all time), written or not. Blocking. */
  public Map<String, Long> keySpend(Set<String> keyIds, LocalDate fromDay) throws SQLException {
    while (true) {
      long flushesBefore = completedFlushes();
      Map<String, Long> spend = new HashMap<>();
      for (String keyId : keyIds) {
        long unwritten = unwrittenForKey(keyId, fromDay);
        if (unwritten != 0) {
          spend.put(keyId, unwritten);
        }
      }
      repository
          .keySpend(keyIds, fromDay)
          .forEach((id, nanos) -> spend.merge(id, nanos, Long::sum));
      if (completedFlushes() == flushesBefore) {
        return spend;
      }
    }
  }

  /** A group's spend, written or not. Blocking. */
  public long groupSpend(String groupId) throws SQLException {
    while (true) {
      long flushesBefore = completedFlushes();
      long unwritten = unwrittenForGroup(groupId);
      long written = repository.groupSpend(groupId);
      if (completedFlushes() == flushesBefore) {
        return written + unwritten;
      }
    }
  }

  /** Writes what has been recorded so far; false when the database refused (kept for later). */
  public boolean flush() {
    Batch batch;
    synchronized (this) {
      if (inFlight == null) {
        inFlight =
            new Batch(UUID.randomUUID().toString(), pendingKeys, pendingGroups, pendingGroupHours);
        pendingKeys = new HashMap<>();
        pendingGroups = new HashMap<>();
        pendingGroupHours = new HashMap<>();
      }
      batch = inFlight;
    }
    if (batch.isEmpty()) {
      synchronized (this) {
        inFlight = null;
      }
      return true;
    }
    try {
      repository.add(batch.toDeltas());
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        log.warn("Writing spend failed; it stays in memory and is retried: {}", e.getMessage());
        failing = true;
      }
      return false;
    }
    synchronized (this) {
      inFlight = null;
      completedFlushes++;
    }
    if (failing) {
      log.info("Spend writes work again");
      failing = false;
    }
    refreshGauges(batch.keys.keySet());
    return true;
  }

  /** Stops the schedule and writes what is left, trying until the shutdown grace runs out. */
  @Override
  public void close() {
    flusher.shutdown();
    try {
      flusher.awaitTermination(shutdownGraceMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long deadline = System.currentTimeMillis() + shutdownGraceMs;
    while (!flush()) {
      if (System.currentTimeMillis() >= deadline) {
        log.error(
            "Shutting down with the database unreachable: spend of {} keys was not "
                + "written (the request log still has every cost)",
            pendingKeyCount());
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.error("Spend flush failed unexpectedly", e);
    }
  }

  private synchronized long completedFlushes() {
    return completedFlushes;
  }

  private synchronized int pendingKeyCount() {
    Set<String> keys = new HashSet<>(pendingKeys.keySet());
    if (inFlight != null) {
      keys.addAll(inFlight.keys.keySet());
    }
    return keys.size();
  }

  private synchronized long unwrittenForKey(String keyId, LocalDate fromDay) {
    long total = sumDays(pendingKeys.get(keyId), fromDay);
    if (inFlight != null) {
      total += sumDays(inFlight.keys.get(keyId), fromDay);
    }
    return total;
  }

  private synchronized long unwrittenForGroup(String groupId) {
    long total = pendingGroups.getOrDefault(groupId, 0L);
    if (inFlight != null) {
      total += inFlight.groups.getOrDefault(groupId, 0L);
    }
    return total;
  }

  private static long sumDays(Map<LocalDate, Long> days, LocalDate fromDay) {
    if (days == null) {
      return 0;
    }
    long total = 0;
    for (Map.Entry<LocalDate, Long> day : days.entrySet()) {
      if (fromDay == null || !day.getKey().isBefore(fromDay)) {
        total += day.getValue();
      }
    }
    return total;
  }

  private KeyGauge registerGauge(String keyId) {
    KeyGauge gauge = new KeyGauge(keyId);
    Gauge.builder("conduit.virtual.key.spend.usd", gauge, KeyGauge::dollars)
        .description(
            "Spend of a virtual key in its current budget period (all time when it "
                + "has no budget), in USD")
        .tag("key_id", keyId)
        .register(metrics);
    return gauge;
  }

  /** Re-reads the written period spend of keys whose spend was just written. */
  private void refreshGauges(Set<String> keyIds) {
    Instant now = clock.instant();
    Map<LocalDate, Set<String>> byStart = new HashMap<>();
    Set<String> allTime = new HashSet<>();
    for (String keyId : keyIds) {
      LocalDate start = periodOfKey.apply(keyId).startDay(now);
      if (start == null) {
        allTime.add(keyId);
      } else {
        byStart.computeIfAbsent(start, day -> new HashSet<>()).add(keyId);
      }
    }
    try {
      update(repository.keySpend(allTime, null), allTime, null);
      for (Map.Entry<LocalDate, Set<String>> group : byStart.entrySet()) {
        update(
            repository.keySpend(group.getValue(), group.getKey()),
            group.getValue(),
            group.getKey());
      }
    } catch (SQLException e) {
      log.debug("Could not refresh spend gauges: {}", e.getMessage());
    }
  }

  private void update(Map<String, Long> written, Set<String> keyIds, LocalDate start) {
    for (String keyId : keyIds) {
      KeyGauge gauge = gauges.get(keyId);
      if (gauge != null) {
        gauge.written(start, written.getOrDefault(keyId, 0L));
      }
    }
  }

  /** The gauge of one key: written spend of its period (as last read) plus unwritten spend. */
  private final class KeyGauge {
    private final String keyId;
    private volatile LocalDate writtenFrom;
    private volatile long writtenNanos;
    private volatile boolean known;

    KeyGauge(String keyId) {
      this.keyId = keyId;
    }

    void written(LocalDate from, long nanos) {
      writtenFrom = from;
      writtenNanos = nanos;
      known = true;
    }

    double dollars() {
      LocalDate start = periodOfKey.apply(keyId).startDay(clock.instant());
      boolean samePeriod = known && java.util.Objects.equals(start, writtenFrom);
      long nanos = (samePeriod ? writtenNanos : 0) + unwrittenForKey(keyId, start);
      return (double) nanos / Usd.ONE;
    }
  }

  /**
   * One flush's worth of spend, taken out of the pending maps. Its id stays the same however often
   * it is retried, so a retry after a commit that landed unanswered adds nothing twice.
   */
  private record Batch(
      String id,
      Map<String, Map<LocalDate, Long>> keys,
      Map<String, Long> groups,
      Map<GroupHour, Long> groupHours) {
    boolean isEmpty() {
      return keys.isEmpty() && groups.isEmpty();
    }

    Deltas toDeltas() {
      Map<KeyDay, Long> keyDays = new HashMap<>();
      keys.forEach(
          (keyId, days) ->
              days.forEach((day, nanos) -> keyDays.put(new KeyDay(keyId, day), nanos)));
      return new Deltas(id, keyDays, groups, groupHours);
    }
  }
}
