package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-minute aggregates of the recent request log, for the admin console's overview: one grouped
 * query over the live log's {@code (timestamp, id)} index, whose result is at most one row per
 * minute and latency bucket however many requests there were. Latency percentiles are read from the
 * bucket counts ({@link #LATENCY_BOUNDS_MS}), so they are exact to a bucket and need no percentile
 * function (SQLite has none). Blocking: call it from a worker thread.
 */
public final class RequestLogStats {
  /**
   * Upper bounds (inclusive, milliseconds) of the latency buckets; a last bucket holds everything
   * slower.
   */
  public static final long[] LATENCY_BOUNDS_MS = {
    5, 10, 25, 50, 75, 100, 150, 250, 400, 600, 800, 1_000, 1_500, 2_500, 4_000, 6_000, 10_000,
    15_000, 30_000, 60_000, 120_000
  };

  private final Database database;

  public RequestLogStats(Database database) {
    this.database = database;
  }

  /**
   * The requests of one minute with latencies in one bucket.
   *
   * @param minute the minute's start, epoch minutes (UTC)
   * @param bucket index into {@link #LATENCY_BOUNDS_MS}; its length for the slowest bucket
   * @param errors requests that did not end in a 2xx without an error
   * @param streams streamed requests
   * @param cacheHits requests answered from the response cache
   * @param costNanos their cost
   */
  public record Cell(
      long minute,
      int bucket,
      long requests,
      long errors,
      long streams,
      long cacheHits,
      long inputTokens,
      long outputTokens,
      long costNanos) {}

  /** Every non-empty (minute, latency bucket) cell of the rows logged in {@code [from, to)}. */
  public List<Cell> cells(Instant from, Instant to) throws SQLException {
    String minute =
        database.dialect() == Dialect.POSTGRESQL
            ? "CAST(floor(extract(epoch FROM timestamp) / 60) AS BIGINT)"
            // SQLite stores times as epoch milliseconds.
            : "(timestamp / 60000)";
    String query =
        "SELECT "
            + minute
            + " AS minute, "
            + bucketExpression()
            + " AS bucket, COUNT(*), "
            + "SUM(CASE WHEN status_code >= 200 AND status_code < 300 AND error_type IS NULL "
            + "THEN 0 ELSE 1 END), "
            + "SUM(CASE WHEN stream THEN 1 ELSE 0 END), "
            + "SUM(CASE WHEN cache_hit THEN 1 ELSE 0 END), "
            + "SUM(input_tokens), SUM(output_tokens), SUM(COALESCE(cost_nanos, 0)) "
            + "FROM request_logs WHERE timestamp >= ? AND timestamp < ? "
            + "GROUP BY 1, 2 ORDER BY 1, 2";
    List<Cell> cells = new ArrayList<>();
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(query)) {
      Jdbc.setInstant(select, 1, from);
      Jdbc.setInstant(select, 2, to);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          cells.add(
              new Cell(
                  rows.getLong(1),
                  rows.getInt(2),
                  rows.getLong(3),
                  rows.getLong(4),
                  rows.getLong(5),
                  rows.getLong(6),
                  rows.getLong(7),
                  rows.getLong(8),
                  rows.getLong(9)));
        }
      }
    }
    return cells;
  }

  /** {@code CASE WHEN latency_ms <= 5 THEN 0 WHEN ... ELSE n END}: the row's latency bucket. */
  private static String bucketExpression() {
    StringBuilder sql = new StringBuilder("CASE");
    for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
      sql.append(" WHEN latency_ms <= ").append(LATENCY_BOUNDS_MS[i]).append(" THEN ").append(i);
    }
    return sql.append(" ELSE ").append(LATENCY_BOUNDS_MS.length).append(" END").toString();
  }
}
