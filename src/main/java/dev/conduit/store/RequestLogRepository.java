package dev.conduit.store;

import static java.util.stream.Collectors.joining;

import dev.conduit.core.Units;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Writes request log rows in batches. Blocking: used by the log writer's own thread. */
public final class RequestLogRepository {
  private static final String COLUMNS =
      "id, timestamp, request_id, virtual_key_id, endpoint, model, provider, provider_model, "
          + "status_code, stream, input_tokens, output_tokens, cached_tokens, latency_ms, ttfb_ms, "
          + "attempts, error_type, error_message, cost_nanos, group_id, cache_hit, "
          + "cost_saved_nanos, unit_kind, units";

  private static final String INSERT =
      "INSERT INTO request_logs ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          // A retried batch whose first commit did reach the database must not fail or duplicate.
          + "ON CONFLICT (id) DO NOTHING";

  /** PostgreSQL's type of each of {@link #COLUMNS}, in order: the element type of its array. */
  private static final String[] POSTGRES_TYPES = {
    "text",
    "timestamptz",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "int4",
    "bool",
    "int8",
    "int8",
    "int8",
    "int8",
    "int8",
    "int4",
    "text",
    "text",
    "int8",
    "text",
    "bool",
    "int8",
    "text",
    "float8"
  };

  /**
   * PostgreSQL: a whole batch in one statement, each column bound as an array. As a JDBC batch of
   * single-row INSERTs the server ran every row as its own statement, and one writer could not keep
   * up with about 30,000 rows a second (RequestLogWriteBenchmark: 32 µs a row), so a fast gateway
   * filled its queue and dropped rows. {@code RETURNING id} names the rows inserted: a retried
   * batch whose first commit did land is neither duplicated nor counted again.
   */
  private static final String INSERT_POSTGRES =
      "INSERT INTO request_logs ("
          + COLUMNS
          + ") SELECT * FROM unnest("
          + Arrays.stream(POSTGRES_TYPES).map(type -> "?::" + type + "[]").collect(joining(", "))
          + ") ON CONFLICT (id) DO NOTHING RETURNING id";

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
          List<RequestLogEntry> inserted =
              database.dialect() == Dialect.POSTGRESQL
                  ? insertAsArrays(connection, entries)
                  : insertAsBatch(connection, entries);
          RequestLogRollups.add(connection, inserted);
          return null;
        });
  }

  /** Inserts the rows with {@link #INSERT}, one JDBC batch; returns those not there yet. */
  private static List<RequestLogEntry> insertAsBatch(
      Connection connection, List<RequestLogEntry> entries) throws SQLException {
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
      return inserted;
    }
  }

  /** Inserts the rows with {@link #INSERT_POSTGRES}; returns those that were not there yet. */
  private static List<RequestLogEntry> insertAsArrays(
      Connection connection, List<RequestLogEntry> entries) throws SQLException {
    int size = entries.size();
    Object[][] columns = new Object[POSTGRES_TYPES.length][size];
    for (int row = 0; row < size; row++) {
      RequestLogEntry entry = entries.get(row);
      Units units = entry.units();
      Object[] values = {
        entry.id(),
        entry.timestamp() == null ? null : entry.timestamp().toString(),
        entry.requestId(),
        entry.virtualKeyId(),
        entry.endpoint(),
        entry.model(),
        entry.provider(),
        entry.providerModel(),
        entry.statusCode(),
        entry.stream(),
        entry.inputTokens(),
        entry.outputTokens(),
        entry.cachedTokens(),
        entry.latencyMs(),
        entry.ttfbMs(),
        entry.attempts(),
        entry.errorType(),
        entry.errorMessage(),
        entry.costNanos(),
        entry.groupId(),
        entry.cacheHit(),
        entry.costSavedNanos(),
        units == null ? null : units.kind().dbName(),
        units == null ? null : units.amount()
      };
      for (int column = 0; column < values.length; column++) {
        columns[column][row] = values[column];
      }
    }
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement insert = connection.prepareStatement(INSERT_POSTGRES)) {
      for (int column = 0; column < POSTGRES_TYPES.length; column++) {
        insert.setArray(
            column + 1, connection.createArrayOf(POSTGRES_TYPES[column], columns[column]));
      }
      try (ResultSet ids = insert.executeQuery()) {
        while (ids.next()) {
          inserted.add(ids.getString(1));
        }
      }
    }
    List<RequestLogEntry> rows = new ArrayList<>(inserted.size());
    for (RequestLogEntry entry : entries) {
      if (inserted.contains(entry.id())) {
        rows.add(entry);
      }
    }
    return rows;
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
