package dev.conduit.store;

import dev.conduit.core.Units;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Writes request log rows in batches. Blocking: used by the log writer's own thread. */
public final class RequestLogRepository {
  private static final String INSERT =
      "INSERT INTO request_logs (id, timestamp, request_id, "
          + "virtual_key_id, endpoint, model, provider, provider_model, status_code, stream, "
          + "input_tokens, output_tokens, cached_tokens, latency_ms, ttfb_ms, attempts, error_type, "
          + "error_message, cost_nanos, group_id, cache_hit, cost_saved_nanos, unit_kind, units) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          // A retried batch whose first commit did reach the database must not fail or duplicate.
          + "ON CONFLICT (id) DO NOTHING";

  private final Database database;

  public RequestLogRepository(Database database) {
    this.database = database;
  }

  /**
   * Inserts all rows in one transaction, with their daily rollups; rows already present (a retried
   * batch whose first commit did land) are skipped and not counted again.
   */
  public void insertBatch(List<RequestLogEntry> entries) throws SQLException {
    database.inTransaction(
        connection -> {
          try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (RequestLogEntry entry : entries) {
              bind(insert, entry);
              insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            List<RequestLogEntry> inserted = new ArrayList<>(entries.size());
            for (int i = 0; i < counts.length; i++) {
              if (counts[i] != 0) {
                inserted.add(entries.get(i));
              }
            }
            RequestLogRollups.add(connection, inserted);
          }
          return null;
        });
  }

  private static void bind(PreparedStatement insert, RequestLogEntry entry) throws SQLException {
    insert.setString(1, entry.id());
    Jdbc.setInstant(insert, 2, entry.timestamp());
    insert.setString(3, entry.requestId());
    insert.setString(4, entry.virtualKeyId());
    insert.setString(5, entry.endpoint());
    insert.setString(6, entry.model());
    insert.setString(7, entry.provider());
    insert.setString(8, entry.providerModel());
    insert.setInt(9, entry.statusCode());
    insert.setBoolean(10, entry.stream());
    insert.setLong(11, entry.inputTokens());
    insert.setLong(12, entry.outputTokens());
    insert.setLong(13, entry.cachedTokens());
    insert.setLong(14, entry.latencyMs());
    Jdbc.setNullableLong(insert, 15, entry.ttfbMs());
    insert.setInt(16, entry.attempts());
    insert.setString(17, entry.errorType());
    insert.setString(18, entry.errorMessage());
    Jdbc.setNullableLong(insert, 19, entry.costNanos());
    insert.setString(20, entry.groupId());
    insert.setBoolean(21, entry.cacheHit());
    Jdbc.setNullableLong(insert, 22, entry.costSavedNanos());
    Units units = entry.units();
    insert.setString(23, units == null ? null : units.kind().dbName());
    if (units == null) {
      insert.setNull(24, Types.DOUBLE);
    } else {
      insert.setDouble(24, units.amount());
    }
  }
}
