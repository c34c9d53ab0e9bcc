package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Daily totals of the request log per key, group, model and provider, added to in the same
 * transaction as the rows they count (so they always equal the log). Spend reports over whole days
 * read these instead of every row, which keeps them fast however long the log grows.
 */
final class RequestLogRollups {
  /** One rollup table per dimension, and how an entry names its value ('' for none). */
  enum Dimension {
    KEY("request_log_daily_by_key", RequestLogEntry::virtualKeyId),
    GROUP("request_log_daily_by_group", RequestLogEntry::groupId),
    MODEL("request_log_daily_by_model", RequestLogEntry::model),
    PROVIDER("request_log_daily_by_provider", RequestLogEntry::provider);

    final String table;
    final Function<RequestLogEntry, String> value;

    Dimension(String table, Function<RequestLogEntry, String> value) {
      this.table = table;
      this.value = value;
    }
  }

  /** One rollup row: a dimension's value ('' for none) on an ISO day. */
  private record Row(String dimension, String day) {}

  private static final Comparator<Row> ROW_ORDER =
      Comparator.comparing(Row::dimension).thenComparing(Row::day);

  private RequestLogRollups() {}

  /**
   * The UTC calendar day of {@code instant}. Not {@code LocalDate.ofInstant(instant, UTC)}: that
   * builds a new {@code ZoneRules} on every call, four times per logged request here.
   */
  private static LocalDate utcDay(Instant instant) {
    return LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond(), 86_400L));
  }

  /** Adds freshly inserted rows to every rollup, inside the caller's transaction. */
  static void add(Connection connection, List<RequestLogEntry> inserted) throws SQLException {
    if (inserted.isEmpty()) {
      return;
    }
    for (Dimension dimension : Dimension.values()) {
      // Sorted: every writer takes row locks in the same order, so concurrent instances
      // never deadlock on the same rollup rows.
      Map<Row, long[]> totals = new TreeMap<>(ROW_ORDER);
      for (RequestLogEntry entry : inserted) {
        String value = dimension.value.apply(entry);
        Row row = new Row(value == null ? "" : value, utcDay(entry.timestamp()).toString());
        long[] sums = totals.computeIfAbsent(row, k -> new long[7]);
        sums[0]++;
        sums[1] += entry.inputTokens();
        sums[2] += entry.outputTokens();
        sums[3] += entry.cachedTokens();
        sums[4] += entry.costNanos() == null ? 0 : entry.costNanos();
        sums[5] += entry.cacheHit() ? 1 : 0;
        sums[6] += entry.costSavedNanos() == null ? 0 : entry.costSavedNanos();
      }
      try (PreparedStatement upsert =
          connection.prepareStatement(
              "INSERT INTO "
                  + dimension.table
                  + " (dimension, day, requests, input_tokens, output_tokens, "
                  + "cached_tokens, cost_nanos, cache_hits, cost_saved_nanos) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dimension, day) "
                  + "DO UPDATE SET requests = "
                  + dimension.table
                  + ".requests + excluded.requests, "
                  + "input_tokens = "
                  + dimension.table
                  + ".input_tokens + excluded.input_tokens, "
                  + "output_tokens = "
                  + dimension.table
                  + ".output_tokens + excluded.output_tokens, "
                  + "cached_tokens = "
                  + dimension.table
                  + ".cached_tokens + excluded.cached_tokens, "
                  + "cost_nanos = "
                  + dimension.table
                  + ".cost_nanos + excluded.cost_nanos, "
                  + "cache_hits = "
                  + dimension.table
                  + ".cache_hits + excluded.cache_hits, "
                  + "cost_saved_nanos = "
                  + dimension.table
                  + ".cost_saved_nanos + excluded.cost_saved_nanos")) {
        for (Map.Entry<Row, long[]> total : totals.entrySet()) {
          upsert.setString(1, total.getKey().dimension());
          upsert.setString(2, total.getKey().day());
          for (int i = 0; i < 7; i++) {
            upsert.setLong(3 + i, total.getValue()[i]);
          }
          upsert.addBatch();
        }
        upsert.executeBatch();
      }
    }
  }
}
