package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spend totals per key (per UTC day and in all) and per key group. Written only in batches by the
 * spend flusher, read for seeds, admin views and gauges. Blocking.
 */
public final class SpendRepository {
  private final Database database;

  public SpendRepository(Database database) {
    this.database = database;
  }

  /**
   * Spend settled since the last flush.
   *
   * @param flushId names this flush: a flush given again with the same id (a retry whose first
   *     commit did land) is not added twice
   * @param keyDays spend per key and UTC day
   * @param groups spend per key group
   * @param groupHours spend per key group and UTC hour (recorded as usage transactions)
   */
  public record Deltas(
      String flushId,
      Map<KeyDay, Long> keyDays,
      Map<String, Long> groups,
      Map<GroupHour, Long> groupHours) {
    public boolean isEmpty() {
      return keyDays.isEmpty() && groups.isEmpty();
    }
  }

  /** A key's spend on one UTC day. */
  public record KeyDay(String keyId, LocalDate day) {}

  /** A group's spend in the UTC hour starting at {@code hour}. */
  public record GroupHour(String groupId, Instant hour) {}

  /**
   * Cost in the request log per key from {@code fromDay} (UTC) on; null: all time, archived rows
   * included. Read from the log's daily rollups, which the log writer keeps in the same transaction
   * as the rows, so they equal the log without scanning it. What spend recovery compares the
   * written spend with.
   */
  public Map<String, Long> loggedKeyCost(LocalDate fromDay) throws SQLException {
    return loggedCost("request_log_daily_by_key", fromDay);
  }

  /** Cost in the request log per key group, all time (from the daily rollups). */
  public Map<String, Long> loggedGroupCost() throws SQLException {
    return loggedCost("request_log_daily_by_group", null);
  }

  private Map<String, Long> loggedCost(String rollup, LocalDate fromDay) throws SQLException {
    return sums(
        "SELECT dimension, SUM(cost_nanos) FROM "
            + rollup
            + " WHERE dimension <> ''"
            + (fromDay == null ? "" : " AND day >= ?")
            + " GROUP BY dimension",
        fromDay == null ? null : fromDay.toString());
  }

  /** The written spend of every key group. */
  public Map<String, Long> groupSpends() throws SQLException {
    return sums("SELECT id, spend_nanos FROM key_groups", null);
  }

  private Map<String, Long> sums(String sql, String parameter) throws SQLException {
    Map<String, Long> sums = new HashMap<>();
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      if (parameter != null) {
        select.setString(1, parameter);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          sums.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return sums;
  }

  /**
   * Adds every delta in one transaction: one row write per key-day, key, group and hour. Deltas
   * whose flush id was already applied are skipped.
   *
   * @return false when that flush had been applied already (nothing was added)
   */
  public boolean add(Deltas deltas) throws SQLException {
    return database.inTransaction(
        connection -> {
          if (!firstApplication(connection, deltas.flushId())) {
            return false;
          }
          write(connection, deltas);
          return true;
        });
  }

  /** One row write per key-day, key, group and group-hour, in a fixed order. */
  private static void write(Connection connection, Deltas deltas) throws SQLException {
    try (PreparedStatement daily =
            connection.prepareStatement(
                "INSERT INTO key_spend_daily "
                    + "(key_id, day, spend_nanos) VALUES (?, ?, ?) ON CONFLICT (key_id, day) DO UPDATE "
                    + "SET spend_nanos = key_spend_daily.spend_nanos + excluded.spend_nanos");
        PreparedStatement totals =
            connection.prepareStatement(
                "INSERT INTO key_spend_totals "
                    + "(key_id, spend_nanos) VALUES (?, ?) ON CONFLICT (key_id) DO UPDATE "
                    + "SET spend_nanos = key_spend_totals.spend_nanos + excluded.spend_nanos");
        PreparedStatement groups =
            connection.prepareStatement(
                "UPDATE key_groups SET spend_nanos = spend_nanos + ? WHERE id = ?");
        PreparedStatement usage =
            connection.prepareStatement(
                "INSERT INTO "
                    + "key_group_transactions (id, group_id, kind, amount_nanos, reason, created_at) "
                    + "VALUES (?, ?, 'usage', ?, ?, ?) ON CONFLICT (id) DO UPDATE SET amount_nanos = "
                    + "key_group_transactions.amount_nanos + excluded.amount_nanos")) {
      // Rows are written in a fixed order, so concurrent instances never deadlock.
      Map<String, Long> keyTotals = new TreeMap<>();
      for (Map.Entry<KeyDay, Long> entry :
          sorted(
              deltas.keyDays(), Comparator.comparing(KeyDay::keyId).thenComparing(KeyDay::day))) {
        daily.setString(1, entry.getKey().keyId());
        daily.setString(2, entry.getKey().day().toString());
        daily.setLong(3, entry.getValue());
        daily.addBatch();
        keyTotals.merge(entry.getKey().keyId(), entry.getValue(), Long::sum);
      }
      for (Map.Entry<String, Long> entry : keyTotals.entrySet()) {
        totals.setString(1, entry.getKey());
        totals.setLong(2, entry.getValue());
        totals.addBatch();
      }
      for (Map.Entry<String, Long> entry : new TreeMap<>(deltas.groups()).entrySet()) {
        groups.setLong(1, entry.getValue());
        groups.setString(2, entry.getKey());
        groups.addBatch();
      }
      for (Map.Entry<GroupHour, Long> entry :
          sorted(
              deltas.groupHours(),
              Comparator.comparing(GroupHour::groupId).thenComparing(GroupHour::hour))) {
        GroupHour hour = entry.getKey();
        usage.setString(1, "usage-" + hour.groupId() + "-" + hour.hour());
        usage.setString(2, hour.groupId());
        usage.setLong(3, -entry.getValue());
        usage.setString(4, "Usage from " + hour.hour() + " for one hour");
        Jdbc.setInstant(usage, 5, hour.hour());
        usage.addBatch();
      }
      daily.executeBatch();
      totals.executeBatch();
      groups.executeBatch();
      usage.executeBatch();
    }
  }

  /**
   * Records {@code flushId} as applied, and forgets those applied over a day ago (a retry comes
   * seconds after its first try); false when it was recorded already.
   */
  private static boolean firstApplication(Connection connection, String flushId)
      throws SQLException {
    Instant now = Instant.now();
    try (PreparedStatement record =
            connection.prepareStatement(
                "INSERT INTO spend_flushes (id, applied_at) VALUES (?, ?) "
                    + "ON CONFLICT (id) DO NOTHING");
        PreparedStatement forget =
            connection.prepareStatement("DELETE FROM spend_flushes WHERE applied_at < ?")) {
      record.setString(1, flushId);
      Jdbc.setInstant(record, 2, now);
      if (record.executeUpdate() == 0) {
        return false;
      }
      Jdbc.setInstant(forget, 1, now.minus(Duration.ofDays(1)));
      forget.executeUpdate();
      return true;
    }
  }

  private static <K, V> List<Map.Entry<K, V>> sorted(Map<K, V> map, Comparator<K> order) {
    List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet());
    entries.sort(Map.Entry.comparingByKey(order));
    return entries;
  }

  /** A key's spend from {@code fromDay} on (null: all time). */
  public long keySpend(String keyId, LocalDate fromDay) throws SQLException {
    Map<String, Long> spend = keySpend(List.of(keyId), fromDay);
    return spend.getOrDefault(keyId, 0L);
  }

  /** Spend of each key from {@code fromDay} on (null: all time); keys with none are absent. */
  public Map<String, Long> keySpend(Collection<String> keyIds, LocalDate fromDay)
      throws SQLException {
    Map<String, Long> spend = new HashMap<>();
    List<String> ids = new ArrayList<>(keyIds);
    // Bounded IN lists: databases cap the number of parameters per statement.
    for (int start = 0; start < ids.size(); start += 500) {
      readKeySpend(ids.subList(start, Math.min(ids.size(), start + 500)), fromDay, spend);
    }
    return spend;
  }

  private void readKeySpend(List<String> ids, LocalDate fromDay, Map<String, Long> into)
      throws SQLException {
    String in = "?" + ", ?".repeat(ids.size() - 1);
    String sql =
        fromDay == null
            ? "SELECT key_id, spend_nanos FROM key_spend_totals WHERE key_id IN (" + in + ")"
            : "SELECT key_id, SUM(spend_nanos) FROM key_spend_daily WHERE key_id IN ("
                + in
                + ") AND day >= ? GROUP BY key_id";
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      int i = 1;
      for (String id : ids) {
        select.setString(i++, id);
      }
      if (fromDay != null) {
        select.setString(i, fromDay.toString());
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          into.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
  }

  /** A key group's spend as written so far. */
  public long groupSpend(String groupId) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement("SELECT spend_nanos FROM key_groups WHERE id = ?")) {
      select.setString(1, groupId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }
}
